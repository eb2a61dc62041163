import { Controller, Get, Logger, Query, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiFoundResponse,
  ApiOperation,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RateLimit } from '../../throttling/rate-limit.decorator';
import { AuthService } from '../auth.service';
import { Public } from '../public.decorator';
import { setSessionCookies } from '../session-cookies';
import { setTransactionCookie, takeTransactionCookie } from './oidc-cookies';
import { OidcRefused } from './oidc-refused';
import { OidcSignIn } from './oidc-sign-in.service';

/** How long a browser is told to wait while the provider has not been discovered. */
const DISCOVERY_RETRY_AFTER_SECONDS = 5;

const LOCATION = { Location: { description: 'Where the browser goes next.', schema: { type: 'string' } } };
const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 } },
};
/** Both steps draw on the sign-in attempts of the caller's IP, the same count as `POST /api/auth/login`. */
const TOO_MANY_SIGN_INS = ApiTooManyRequestsResponse({
  description: 'Too many sign-in attempts from this address; see Retry-After.',
  headers: RETRY_AFTER,
});

@ApiTags('auth')
@Public()
@Controller('auth/oidc')
export class OidcController {
  private readonly logger = new Logger(OidcController.name);

  constructor(
    private readonly oidc: OidcSignIn,
    private readonly auth: AuthService,
  ) {}

  @Get('login')
  @RateLimit('login')
  @ApiOperation({
    summary: 'Start signing in at the OpenID Provider (the sign-in button’s target)',
    description:
      'Redirects to the provider with PKCE, state and nonce, kept for 10 minutes in an HttpOnly cookie. Only when OpenID Connect is configured (`GET /api/auth/providers`).',
  })
  @ApiQuery({
    name: 'returnTo',
    required: false,
    description: 'The app’s path to come back to (`/runs/…`); anything else returns to `/`.',
  })
  @ApiFoundResponse({ description: 'To the provider’s authorization endpoint.', headers: LOCATION })
  @ApiServiceUnavailableResponse({
    description: 'The provider has not been discovered yet (or OpenID Connect is off); see Retry-After.',
    headers: RETRY_AFTER,
  })
  @TOO_MANY_SIGN_INS
  async login(
    @Query('returnTo') returnTo: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { authorizationUrl, sealedTransaction } = await this.oidc
      .start(returnTo)
      .catch((error: unknown) => {
        if (error instanceof ServiceUnavailableException) {
          response.setHeader('Retry-After', String(DISCOVERY_RETRY_AFTER_SECONDS));
        }
        throw error;
      });
    setTransactionCookie(request, response, sealedTransaction);
    response.redirect(302, authorizationUrl);
  }

  @Get('callback')
  @RateLimit('login')
  @ApiOperation({
    summary: 'Where the OpenID Provider sends the browser back',
    description:
      'On success: the session and CSRF cookies, as after a password sign-in, and a redirect to the return path. A refusal redirects to `/sign-in?error=<reason>` and creates no session.',
  })
  @ApiFoundResponse({
    description: 'To the return path, or to `/sign-in?error=…` (`oidc_groups`, `oidc_state`, …).',
    headers: LOCATION,
  })
  @TOO_MANY_SIGN_INS
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const sealedTransaction = takeTransactionCookie(request, response);
    const query = request.originalUrl.split('?')[1] ?? '';
    try {
      const { username, idToken, returnTo } = await this.oidc.finish(query, sealedTransaction);
      setSessionCookies(request, response, await this.auth.signIn(username, 'oidc'), idToken);
      response.redirect(302, returnTo);
    } catch (error) {
      if (!(error instanceof OidcRefused)) throw error;
      this.logger.warn({ reason: error.reason, detail: error.detail }, 'OpenID Connect sign-in refused');
      const signIn = new URLSearchParams({ error: error.reason });
      if (error.returnTo && error.returnTo !== '/') signIn.set('returnUrl', error.returnTo);
      response.redirect(302, `/sign-in?${signIn.toString()}`);
    }
  }
}

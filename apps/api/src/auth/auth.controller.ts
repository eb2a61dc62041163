import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RateLimit } from '../throttling/rate-limit.decorator';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { MeDto, SessionDto } from './dto/session.dto';
import { SignedOutDto, SignInProvidersDto } from './dto/sign-in-providers.dto';
import { LocalAuthGuard } from './local-auth.guard';
import { Public } from './public.decorator';
import { OidcSignIn } from './oidc/oidc-sign-in.service';
import { clearSessionCookies, cookieOf, ID_TOKEN_COOKIE, setSessionCookies } from './session-cookies';
import { CurrentUser, type SignedInUser } from './signed-in-user';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcSignIn,
  ) {}

  @Post('login')
  @Public()
  @RateLimit('login')
  @UseGuards(LocalAuthGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Sign in: a bearer token, and a session cookie for the browser',
    description:
      'Services send the token as `Authorization: Bearer`; the browser gets it as an HttpOnly cookie and echoes the CSRF cookie in `X-CSRF-Token` on changes.',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiBadRequestResponse({ description: 'A field is missing or unknown; `errors` names it.' })
  @ApiUnauthorizedResponse({ description: 'Wrong username or password.' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts; see Retry-After.' })
  async login(
    @Body() _credentials: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionDto> {
    const session = await this.auth.signIn(request.user as string);
    setSessionCookies(request, response, session);
    const { username, token, csrfToken, expiresAt } = session;
    return { user: { username }, token, csrfToken, expiresAt: new Date(expiresAt).toISOString() };
  }

  @Get('providers')
  @Public()
  @ApiOperation({
    summary: 'The ways to sign in',
    description:
      'Whether password sign-in has users, and the OpenID Provider’s button when one is configured.',
  })
  @ApiOkResponse({ type: SignInProvidersDto })
  providers(): SignInProvidersDto {
    return this.oidc.providers(this.auth.hasPasswordUsers);
  }

  @Post('logout')
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Sign out: revokes the session’s token and clears the session cookie',
    description:
      'The token that signs out, cookie or bearer, is refused from then on (401), on every instance and after a restart; the event streams it opened are closed. A session signed in at an OpenID Provider that offers an end-session endpoint gets its URL (200), for the browser to sign out there too.',
  })
  @ApiOkResponse({ type: SignedOutDto, description: 'Signed out of an SSO session: go to `endSessionUrl`.' })
  @ApiNoContentResponse({ description: 'Signed out.' })
  async logout(
    @CurrentUser() user: SignedInUser,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.auth.signOut(user);
    const endSessionUrl =
      user.identityProvider === 'oidc'
        ? this.oidc.endSessionUrl(cookieOf(request, ID_TOKEN_COOKIE))
        : undefined;
    clearSessionCookies(request, response);
    if (endSessionUrl) response.status(HttpStatus.OK).json({ endSessionUrl } satisfies SignedOutDto);
    else response.status(HttpStatus.NO_CONTENT).end();
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Who is signed in', description: 'The user and when the session ends.' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: SignedInUser): MeDto {
    return { user: { username: user.username }, expiresAt: new Date(user.expiresAt).toISOString() };
  }
}

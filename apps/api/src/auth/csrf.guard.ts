import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { HttpConfig } from '../config/app-config';
import { AuthService } from './auth.service';
import { CSRF_COOKIE, CSRF_HEADER } from './session-cookies';
import type { SignedInUser } from './signed-in-user';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: no request may come from a foreign origin (scheme, host and port), and one
 * that changes something and is authenticated by the cookie must echo the CSRF cookie in `X-CSRF-Token`
 * (a foreign page can make the browser send the cookie, but cannot read it). The token is bound to the
 * session (a keyed hash of its token id), so a pair planted from another session does not pass. Bearer
 * requests are exempt: a browser never adds that header on its own.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly allowedOrigins: ReadonlySet<string>;

  constructor(
    http: HttpConfig,
    private readonly auth: AuthService,
  ) {
    this.allowedOrigins = new Set(http.corsOrigins);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const origin = request.headers.origin;
    if (origin && !this.isOwnOrAllowed(origin, request)) {
      throw new ForbiddenException(`Requests from ${origin} are not allowed`);
    }
    if (SAFE_METHODS.has(request.method)) return true;
    const user = request.user as SignedInUser | undefined;
    if (user?.via === 'cookie' && !hasCsrfProof(request, this.auth.csrfTokenFor(user.sessionId))) {
      throw new ForbiddenException(`Missing or wrong ${CSRF_HEADER} header: echo the ${CSRF_COOKIE} cookie`);
    }
    return true;
  }

  private isOwnOrAllowed(origin: string, request: Request): boolean {
    if (this.allowedOrigins.has(origin)) return true;
    try {
      return new URL(origin).origin === new URL(`${request.protocol}://${request.headers.host ?? ''}`).origin;
    } catch {
      return false;
    }
  }
}

/** The cookie and the header both carry this session's CSRF token. */
function hasCsrfProof(request: Request, expected: string): boolean {
  const cookie = (request.cookies as Record<string, string | undefined>)[CSRF_COOKIE];
  const header = request.headers[CSRF_HEADER];
  return (
    typeof cookie === 'string' &&
    typeof header === 'string' &&
    same(cookie, expected) &&
    same(header, expected)
  );
}

function same(given: string, expected: string): boolean {
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

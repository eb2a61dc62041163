import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthConfig } from '../config/app-config';
import { SESSION_COOKIE } from './session-cookies';
import type { SignedInUser } from './signed-in-user';
import { trustedClaims } from './token-claims';

const fromBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

function fromSessionCookie(request: Request): string | null {
  const cookies = request.cookies as Record<string, string | undefined> | undefined;
  return cookies?.[SESSION_COOKIE] ?? null;
}

/** Accepts `Authorization: Bearer` (services, scripts) or the session cookie (the browser, `EventSource`). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly config: AuthConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([fromBearer, fromSessionCookie]),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      passReqToCallback: true,
    });
  }

  /**
   * A good signature is not enough: the claims must be ones this server would have issued. Whether their
   * user is still one it knows is the global guard's to ask: Passport keeps one strategy per process.
   */
  validate(request: Request, payload: unknown): SignedInUser {
    const claims = trustedClaims(payload, this.config.tokenTtlSeconds, Date.now());
    if (!claims) {
      throw new UnauthorizedException('The session token is not valid; sign in again');
    }
    return {
      username: claims.sub,
      sessionId: claims.jti,
      expiresAt: claims.exp * 1000,
      via: fromBearer(request) ? 'bearer' : 'cookie',
      identityProvider: claims.idp ?? 'password',
    };
  }
}

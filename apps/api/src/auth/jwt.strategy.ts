import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { SESSION_COOKIE } from './session-cookies';
import type { SignedInUser } from './signed-in-user';
import type { TokenPayload } from './auth.service';

const fromBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

function fromSessionCookie(request: Request): string | null {
  const cookies = request.cookies as Record<string, string | undefined> | undefined;
  return cookies?.[SESSION_COOKIE] ?? null;
}

/** Accepts `Authorization: Bearer` (services, scripts) or the session cookie (the browser, `EventSource`). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([fromBearer, fromSessionCookie]),
      secretOrKey: config.authJwtSecret,
      algorithms: ['HS256'],
      passReqToCallback: true,
    });
  }

  validate(request: Request, payload: TokenPayload & { exp: number }): SignedInUser {
    return {
      username: payload.sub,
      expiresAt: payload.exp * 1000,
      via: fromBearer(request) ? 'bearer' : 'cookie',
    };
  }
}

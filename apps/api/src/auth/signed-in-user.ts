import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Where a user signed in: a password of `AUTH_USERS`, or the OpenID Provider. */
export type IdentityProvider = 'password' | 'oidc';

/** Who made a request, and how they proved it. */
export interface SignedInUser {
  username: string;
  /** The token's `jti`: one sign-in, to which its CSRF token is bound. */
  sessionId: string;
  /** When the token expires, in epoch milliseconds. */
  expiresAt: number;
  /** A cookie comes from the browser app and needs CSRF proof for changes; a bearer token does not. */
  via: 'cookie' | 'bearer';
  identityProvider: IdentityProvider;
}

/** The signed-in user of the request (the global guard has made sure there is one). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<Request>().user as SignedInUser,
);

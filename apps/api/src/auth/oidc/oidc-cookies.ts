import type { CookieOptions, Request, Response } from 'express';
import { cookieOf } from '../session-cookies';
import { TRANSACTION_TTL_MS } from './oidc-transaction';

/**
 * The sign-in under way: `SameSite=Lax`, since the callback is a navigation from the provider's site,
 * and only on the OIDC routes.
 */
const TRANSACTION_COOKIE = 'issuecast_oidc';

function transactionOptions(request: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: request.secure, path: '/api/auth/oidc' };
}

export function setTransactionCookie(request: Request, response: Response, sealed: string): void {
  response.cookie(TRANSACTION_COOKIE, sealed, { ...transactionOptions(request), maxAge: TRANSACTION_TTL_MS });
}

/** Reads and clears the transaction: a callback played again finds none. */
export function takeTransactionCookie(request: Request, response: Response): string | undefined {
  const sealed = cookieOf(request, TRANSACTION_COOKIE);
  response.clearCookie(TRANSACTION_COOKIE, transactionOptions(request));
  return sealed;
}

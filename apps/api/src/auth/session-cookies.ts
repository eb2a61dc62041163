import type { CookieOptions, Request, Response } from 'express';

/** The HttpOnly cookie that carries the session token for the browser (and its `EventSource`). */
export const SESSION_COOKIE = 'issuecast_session';
/** The readable cookie whose value the app echoes in `X-CSRF-Token` (double-submit). */
export const CSRF_COOKIE = 'issuecast_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** The ID token of an SSO session, sent only to sign-out, which hands it to the provider's end-session endpoint. */
export const ID_TOKEN_COOKIE = 'issuecast_id_token';
const ID_TOKEN_PATH = '/api/auth/logout';

function baseOptions(request: Request): CookieOptions {
  return { sameSite: 'strict', secure: request.secure, path: '/' };
}

/**
 * Sets the session and CSRF cookies, both ending when the token does, and for an SSO session the cookie
 * that keeps its ID token for sign-out.
 */
export function setSessionCookies(
  request: Request,
  response: Response,
  session: { token: string; csrfToken: string; expiresAt: number },
  idToken?: string,
): void {
  const expires = new Date(session.expiresAt);
  response.cookie(SESSION_COOKIE, session.token, { ...baseOptions(request), httpOnly: true, expires });
  response.cookie(CSRF_COOKIE, session.csrfToken, { ...baseOptions(request), httpOnly: false, expires });
  if (idToken) {
    response.cookie(ID_TOKEN_COOKIE, idToken, idTokenOptions(request, expires));
  }
}

export function clearSessionCookies(request: Request, response: Response): void {
  response.clearCookie(SESSION_COOKIE, { ...baseOptions(request), httpOnly: true });
  response.clearCookie(CSRF_COOKIE, baseOptions(request));
  if (cookieOf(request, ID_TOKEN_COOKIE)) response.clearCookie(ID_TOKEN_COOKIE, idTokenOptions(request));
}

/** A cookie the request carries, if it does. */
export function cookieOf(request: Request, name: string): string | undefined {
  return (request.cookies as Record<string, string | undefined> | undefined)?.[name];
}

function idTokenOptions(request: Request, expires?: Date): CookieOptions {
  return { ...baseOptions(request), path: ID_TOKEN_PATH, httpOnly: true, ...(expires ? { expires } : {}) };
}

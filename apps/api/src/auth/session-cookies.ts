import type { CookieOptions, Request, Response } from 'express';

/** The HttpOnly cookie that carries the session token for the browser (and its `EventSource`). */
export const SESSION_COOKIE = 'issuecast_session';
/** The readable cookie whose value the app echoes in `X-CSRF-Token` (double-submit). */
export const CSRF_COOKIE = 'issuecast_csrf';
export const CSRF_HEADER = 'x-csrf-token';

function baseOptions(request: Request): CookieOptions {
  return { sameSite: 'strict', secure: request.secure, path: '/' };
}

/** Sets the session and CSRF cookies, both ending when the token does. */
export function setSessionCookies(
  request: Request,
  response: Response,
  session: { token: string; csrfToken: string; expiresAt: number },
): void {
  const expires = new Date(session.expiresAt);
  response.cookie(SESSION_COOKIE, session.token, { ...baseOptions(request), httpOnly: true, expires });
  response.cookie(CSRF_COOKIE, session.csrfToken, { ...baseOptions(request), httpOnly: false, expires });
}

export function clearSessionCookies(request: Request, response: Response): void {
  response.clearCookie(SESSION_COOKIE, { ...baseOptions(request), httpOnly: true });
  response.clearCookie(CSRF_COOKIE, baseOptions(request));
}

import { HttpContext, HttpContextToken } from '@angular/common/http';

/** Marks a request whose caller deals with a 401 itself, so the app does not send it to sign-in. */
export const HANDLES_UNAUTHORIZED = new HttpContextToken<boolean>(() => false);

export function handlesUnauthorized(): HttpContext {
  return new HttpContext().set(HANDLES_UNAUTHORIZED, true);
}

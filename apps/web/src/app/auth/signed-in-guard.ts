import { inject } from '@angular/core';
import { type CanActivateFn } from '@angular/router';
import { catchError, map, of } from 'rxjs';
import { Session } from './session';
import { SignInRedirect } from './sign-in-redirect';

/** Lets a signed-in user through; sends anyone else to sign-in, then back to where they were going. */
export const signedInGuard: CanActivateFn = (_route, state) => {
  const redirect = inject(SignInRedirect);
  return inject(Session)
    .check()
    .pipe(
      catchError(() => of(false)),
      map((signedIn) => signedIn || redirect.urlTree(state.url)),
    );
};

import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { tap } from 'rxjs';
import { HANDLES_UNAUTHORIZED } from './handles-unauthorized';
import { SignInRedirect } from './sign-in-redirect';

/** A 401 from any API call means the session is gone: off to sign-in (the caller still sees the error). */
export const unauthorizedInterceptor: HttpInterceptorFn = (request, next) => {
  if (request.context.get(HANDLES_UNAUTHORIZED)) return next(request);
  const redirect = inject(SignInRedirect);
  return next(request).pipe(
    tap({
      error: (error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 401) redirect.go();
      },
    }),
  );
};

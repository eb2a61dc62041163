import { provideHttpClient, withFetch, withInterceptors, withXsrfConfiguration } from '@angular/common/http';
import {
  type ApplicationConfig,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { appRoutes } from './app.routes';
import { unauthorizedInterceptor } from './auth/unauthorized-interceptor';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(appRoutes, withComponentInputBinding()),
    provideHttpClient(
      withFetch(),
      // The API's double-submit CSRF check: echo its readable cookie on every state-changing request.
      withXsrfConfiguration({ cookieName: 'issuecast_csrf', headerName: 'X-CSRF-Token' }),
      withInterceptors([unauthorizedInterceptor]),
    ),
  ],
};

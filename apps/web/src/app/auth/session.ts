import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { type Observable, catchError, map, of, tap, throwError } from 'rxjs';
import type { SignedOut, SignInProviders } from '@issuecast/workflows-api';
import { handlesUnauthorized } from './handles-unauthorized';

export interface SignedInUser {
  username: string;
}

export interface Credentials {
  username: string;
  password: string;
}

interface SessionResponse {
  user: SignedInUser;
  expiresAt: string;
}

/**
 * Who is signed in. The API keeps the session in an HttpOnly cookie, so the app never sees the
 * token: it asks `GET /api/auth/me` and remembers the answer.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly http = inject(HttpClient);
  private readonly current = signal<SignedInUser | null>(null);

  readonly user = this.current.asReadonly();
  readonly signedIn = computed(() => this.current() !== null);

  /** Whether someone is signed in; asks the API unless it already knows. */
  check(): Observable<boolean> {
    if (this.current()) return of(true);
    return this.http.get<SessionResponse>('/api/auth/me', { context: handlesUnauthorized() }).pipe(
      tap(({ user }) => this.current.set(user)),
      map(() => true),
      catchError((error: unknown) =>
        error instanceof HttpErrorResponse && error.status === 401 ? of(false) : throwError(() => error),
      ),
    );
  }

  signIn(credentials: Credentials): Observable<SignedInUser> {
    return this.http
      .post<SessionResponse>('/api/auth/login', credentials, { context: handlesUnauthorized() })
      .pipe(
        map(({ user }) => user),
        tap((user) => this.current.set(user)),
      );
  }

  /** Signs out; for a session signed in at an identity provider that offers it, the provider's sign-out URL. */
  signOut(): Observable<string | undefined> {
    return this.http
      .post<SignedOut | null>('/api/auth/logout', null, { context: handlesUnauthorized() })
      .pipe(
        map((answer) => answer?.endSessionUrl),
        tap({ finalize: () => this.forget() }),
      );
  }

  /** The ways to sign in the server offers. */
  providers(): Observable<SignInProviders> {
    return this.http.get<SignInProviders>('/api/auth/providers');
  }

  /** The API said the session is gone (401). */
  forget(): void {
    this.current.set(null);
  }
}

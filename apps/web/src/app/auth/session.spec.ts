import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { Session } from './session';

describe(Session.name, () => {
  let session: Session;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    session = TestBed.inject(Session);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('asks the API who is signed in, and then remembers', async () => {
    const first = firstValueFrom(session.check());
    http
      .expectOne('/api/auth/me')
      .flush({ user: { username: 'demo' }, expiresAt: '2026-11-26T10:00:00.000Z' });

    expect(await first).toBe(true);
    expect(session.user()).toEqual({ username: 'demo' });
    expect(await firstValueFrom(session.check())).toBe(true);
    http.expectNone('/api/auth/me');
  });

  it('takes a 401 as nobody signed in', async () => {
    const check = firstValueFrom(session.check());
    http
      .expectOne('/api/auth/me')
      .flush({ statusCode: 401, message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });

    expect(await check).toBe(false);
    expect(session.signedIn()).toBe(false);
  });

  it('signs in with the credentials and keeps only the user (the cookie carries the session)', async () => {
    const signedIn = firstValueFrom(session.signIn({ username: 'demo', password: 'demo' }));
    const request = http.expectOne('/api/auth/login');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ username: 'demo', password: 'demo' });
    request.flush({
      user: { username: 'demo' },
      token: 'secret',
      csrfToken: 'csrf',
      expiresAt: '2026-11-26T10:00:00.000Z',
    });

    expect(await signedIn).toEqual({ username: 'demo' });
    expect(session.user()).toEqual({ username: 'demo' });
    expect(JSON.stringify(localStorage)).not.toContain('secret');
  });

  it('forgets the user when signing out, even if the API fails', async () => {
    const signedIn = firstValueFrom(session.signIn({ username: 'demo', password: 'demo' }));
    http
      .expectOne('/api/auth/login')
      .flush({ user: { username: 'demo' }, expiresAt: '2026-11-26T10:00:00.000Z' });
    await signedIn;

    const signedOut = firstValueFrom(session.signOut()).catch(() => 'failed');
    const request = http.expectOne('/api/auth/logout');
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 500, statusText: 'Server Error' });

    expect(await signedOut).toBe('failed');
    expect(session.user()).toBeNull();
  });

  it('hands on the identity provider’s sign-out URL when the API gives one', async () => {
    const signedOut = firstValueFrom(session.signOut());
    http
      .expectOne('/api/auth/logout')
      .flush({ endSessionUrl: 'https://login.example.com/logout?id_token_hint=x' });

    expect(await signedOut).toBe('https://login.example.com/logout?id_token_hint=x');
  });

  it('hands on nothing after a password session’s sign-out', async () => {
    const signedOut = firstValueFrom(session.signOut());
    http.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });

    expect(await signedOut).toBeUndefined();
  });
});

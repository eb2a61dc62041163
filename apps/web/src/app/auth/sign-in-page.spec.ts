import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { button, field, settle, text, type } from '../../testing/dom';
import { Session } from './session';
import { SignInPage } from './sign-in-page';
import { problemDetails } from '../../testing/problem-details';

describe(SignInPage.name, () => {
  async function render(url = '/sign-in') {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter(
          [
            { path: 'sign-in', component: SignInPage },
            { path: '**', children: [] },
          ],
          withComponentInputBinding(),
        ),
      ],
    });
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url, SignInPage);
    const element = harness.routeNativeElement as HTMLElement;
    return { harness, element, http: TestBed.inject(HttpTestingController), router: TestBed.inject(Router) };
  }

  async function signIn(element: HTMLElement, username: string, password: string): Promise<void> {
    type(field(element, 'Username'), username);
    type(field(element, 'Password'), password);
    button(element, 'Sign in').click();
    await settle();
  }

  it('asks for both fields before it sends anything', async () => {
    const { harness, element, http } = await render();

    button(element, 'Sign in').click();
    await harness.fixture.whenStable();

    expect(text(element.querySelector('#username-error'))).toBe('Enter your username.');
    expect(text(element.querySelector('#password-error'))).toBe('Enter your password.');
    expect(field(element, 'Username').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field(element, 'Username'));
    http.expectNone('/api/auth/login');
  });

  it("says the API's reason when the password is wrong", async () => {
    const { harness, element, http } = await render();

    await signIn(element, 'demo', 'nope');
    const request = http.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({ username: 'demo', password: 'nope' });
    request.flush(problemDetails(401, 'Wrong username or password'), {
      status: 401,
      statusText: 'Unauthorized',
    });
    await settle();
    await harness.fixture.whenStable();

    expect(text(element.querySelector('[role="alert"]'))).toBe('Wrong username or password.');
    expect(TestBed.inject(Session).user()).toBeNull();
  });

  it('says how long to wait after too many attempts', async () => {
    const { harness, element, http } = await render();

    await signIn(element, 'demo', 'nope');
    http.expectOne('/api/auth/login').flush(problemDetails(429, 'Too many requests; try again in 30 s'), {
      status: 429,
      statusText: 'Too Many Requests',
      headers: { 'Retry-After': '30' },
    });
    await settle();
    await harness.fixture.whenStable();

    expect(text(element.querySelector('[role="alert"]'))).toBe('Too many attempts. Try again in 30 seconds.');
  });

  it('goes back to where the user was going once signed in', async () => {
    const { element, http, router } = await render(
      `/sign-in?returnUrl=${encodeURIComponent('/runs?page=2')}`,
    );

    await signIn(element, 'demo', 'demo');
    http.expectOne('/api/auth/login').flush({
      user: { username: 'demo' },
      token: 'ignored',
      csrfToken: 'ignored',
      expiresAt: '2026-11-26T10:00:00.000Z',
    });
    await settle();

    expect(router.url).toBe('/runs?page=2');
    expect(TestBed.inject(Session).user()).toEqual({ username: 'demo' });
  });

  it('goes to a new run when there is nowhere to go back to, or somewhere outside the app', async () => {
    const { element, http, router } = await render(
      `/sign-in?returnUrl=${encodeURIComponent('//evil.test/x')}`,
    );

    await signIn(element, 'demo', 'demo');
    http
      .expectOne('/api/auth/login')
      .flush({ user: { username: 'demo' }, expiresAt: '2026-11-26T10:00:00.000Z' });
    await settle();

    expect(router.url).toBe('/runs/new');
  });

  it('offers the identity provider by its name, coming back to where the user was going', async () => {
    const { harness, element, http } = await render(
      `/sign-in?returnUrl=${encodeURIComponent('/runs?page=2')}`,
    );

    http
      .expectOne('/api/auth/providers')
      .flush({ password: true, oidc: { name: 'Okta', loginUrl: '/api/auth/oidc/login' } });
    await harness.fixture.whenStable();

    const link = [...element.querySelectorAll('a')].find((a) => text(a) === 'Sign in with Okta');
    expect(link?.getAttribute('href')).toBe(
      `/api/auth/oidc/login?returnTo=${encodeURIComponent('/runs?page=2')}`,
    );
    expect(field(element, 'Username')).toBeTruthy();
  });

  it('shows only the identity provider when the server has no password users', async () => {
    const { harness, element, http } = await render();

    http
      .expectOne('/api/auth/providers')
      .flush({ password: false, oidc: { name: 'SSO', loginUrl: '/api/auth/oidc/login' } });
    await harness.fixture.whenStable();

    expect(text(element.querySelector('a.sso'))).toBe('Sign in with SSO');
    expect(element.querySelector('form')).toBeNull();
  });

  it('says in plain words why the identity provider’s sign-in was refused', async () => {
    const { harness, element } = await render('/sign-in?error=oidc_groups');
    await harness.fixture.whenStable();

    expect(text(element.querySelector('[role="alert"]'))).toBe(
      'Your account is not in a group allowed to use Issuecast. Try again, or ask your administrator.',
    );
  });

  it('ignores an error code it does not know', async () => {
    const { harness, element } = await render('/sign-in?error=%3Cscript%3E');
    await harness.fixture.whenStable();

    expect(element.querySelector('[role="alert"]')).toBeNull();
  });
});

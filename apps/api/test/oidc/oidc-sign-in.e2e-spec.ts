import type { RunStarted, SignedOut, SignInProviders } from '@issuecast/workflows-api';
import { TestBrowser, type Visit } from './browser';
import { type OidcSetup, signInAtProvider, startOidcSetup } from './oidc-app';

const sessionCookieOf = (visit: Visit) =>
  visit.setCookies.find((line) => line.startsWith('issuecast_session='));

/** Where a refused callback sent the browser: the sign-in page's reason, and no session. */
function refusalOf(callback: Visit): string | null {
  expect(callback.status).toBe(302);
  expect(sessionCookieOf(callback)).toBeUndefined();
  const location = new URL(callback.location as string, callback.url);
  expect(location.pathname).toBe('/sign-in');
  return location.searchParams.get('error');
}

describe('signing in with OpenID Connect', () => {
  let setup: OidcSetup;

  beforeAll(async () => {
    setup = await startOidcSetup({
      OIDC_PROVIDER_NAME: 'Acme SSO',
      OIDC_SCOPES: 'openid profile email groups',
      OIDC_ALLOWED_GROUPS: 'triagers,maintainers',
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(() => setup.close());

  it('tells the web app both ways to sign in, and the button’s name', async () => {
    const response = await setup.api.request('/api/auth/providers', { as: 'anonymous' });

    expect((await response.json()) as SignInProviders).toEqual({
      password: true,
      oidc: { name: 'Acme SSO', loginUrl: '/api/auth/oidc/login' },
    });
  });

  it('signs in through the provider’s forms, back to the return path, with a cookie that works on the API and its streams', async () => {
    const { browser, callback } = await signInAtProvider(setup, 'alice', { returnTo: '/runs?page=2' });
    const { baseUrl } = setup.api;

    expect(callback.status).toBe(302);
    expect(callback.location).toBe('/runs?page=2');
    expect(sessionCookieOf(callback)).toMatch(/HttpOnly/);
    expect(sessionCookieOf(callback)).toMatch(/SameSite=Strict/);
    expect(browser.cookie(baseUrl, 'issuecast_oidc')).toBeUndefined();

    const cookie = browser.cookieHeader(`${baseUrl}/api/auth/me`);
    const me = await setup.api.request('/api/auth/me', { as: 'anonymous', headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe('alice');

    const started = await setup.api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      as: 'anonymous',
      headers: { cookie, 'x-csrf-token': browser.cookie(baseUrl, 'issuecast_csrf') ?? '' },
      body: { issue: { title: 'Signed in with SSO', body: 'Does the stream open?' } },
    });
    expect(started.status).toBe(202);
    const { eventsUrl } = (await started.json()) as RunStarted;
    const stream = await setup.api.readSse(eventsUrl, { cookie }, 'anonymous');
    expect(stream.status).toBe(200);
    expect(stream.events.at(-1)?.type).toBe('complete');
  });

  it('goes to / when the return path leaves the app', async () => {
    const { callback } = await signInAtProvider(setup, 'alice', { returnTo: '//evil.test/x' });

    expect(callback.location).toBe('/');
  });

  it('refuses a user in none of the allowed groups', async () => {
    const { callback } = await signInAtProvider(setup, 'mallory');

    expect(refusalOf(callback)).toBe('oidc_groups');
  });

  it('refuses a callback played again: without its cookie here, and with it at the provider', async () => {
    const browser = new TestBrowser();
    const { baseUrl } = setup.api;
    let sealed = '';
    const { callbackUrl, callback } = await signInAtProvider(setup, 'alice', {
      browser,
      beforeCallback: (url) => {
        sealed = browser.cookie(baseUrl, 'issuecast_oidc') ?? '';
        return url;
      },
    });
    expect(sessionCookieOf(callback)).toBeDefined();

    expect(refusalOf(await browser.follow(callbackUrl, () => true))).toBe('oidc_expired');

    browser.setCookie(baseUrl, 'issuecast_oidc', sealed, '/api/auth/oidc');
    expect(refusalOf(await browser.follow(callbackUrl, () => true))).toBe('oidc_provider_error');
  });

  it('refuses a callback whose state was changed', async () => {
    const { callback } = await signInAtProvider(setup, 'alice', {
      beforeCallback: (url) => url.replace(/state=[^&]+/, 'state=forged'),
    });

    expect(refusalOf(callback)).toBe('oidc_state');
  });

  it('refuses a transaction cookie that was tampered with', async () => {
    const browser = new TestBrowser();
    const { baseUrl } = setup.api;
    const { callback } = await signInAtProvider(setup, 'alice', {
      browser,
      beforeCallback: (url) => {
        const sealed = browser.cookie(baseUrl, 'issuecast_oidc') ?? '';
        browser.setCookie(baseUrl, 'issuecast_oidc', `x${sealed}`, '/api/auth/oidc');
        return url;
      },
    });

    expect(refusalOf(callback)).toBe('oidc_state');
  });

  it('refuses a callback with no transaction cookie at all', async () => {
    const browser = new TestBrowser();
    const { callback } = await signInAtProvider(setup, 'alice', {
      browser,
      beforeCallback: (url) => {
        browser.setCookie(setup.api.baseUrl, 'issuecast_oidc', '', '/api/auth/oidc');
        return url;
      },
    });

    expect(refusalOf(callback)).toBe('oidc_expired');
  });

  it('says the provider refused when the user cancels at its login page', async () => {
    const browser = new TestBrowser();
    const start = `${setup.api.baseUrl}/api/auth/oidc/login`;
    const loginPage = await browser.follow(start);
    const cancelled = await browser.follow(await browser.linkOn(loginPage.url, '[ Cancel ]'), (url) =>
      url.pathname.startsWith('/sign-in'),
    );

    expect(refusalOf(cancelled)).toBe('oidc_denied');
  });

  it.each([
    ['another issuer', { iss: 'http://evil.test' }],
    ['another audience', { aud: 'another-client' }],
    ['another nonce', { nonce: 'not-the-one-sent' }],
    [
      'an expiry in the past',
      { exp: Math.floor(Date.now() / 1000) - 3_600, iat: Math.floor(Date.now() / 1000) - 7_200 },
    ],
  ])('refuses an ID token with %s, and logs why at warn, never the token', async (_what, claims) => {
    await setup.provider.changeNextIdToken(claims);
    const { callback: refused, callbackUrl } = await signInAtProvider(setup, 'alice');

    expect(refusalOf(refused)).toBe('oidc_token');
    const warning = setup.api.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).at(-1);
    expect(warning).toMatchObject({ level: 40, reason: 'oidc_token', msg: 'OpenID Connect sign-in refused' });
    expect(JSON.stringify(warning)).not.toContain(new URL(callbackUrl).searchParams.get('code'));
  });

  it('signs an SSO session out at the provider too', async () => {
    const { browser } = await signInAtProvider(setup, 'alice');
    const { baseUrl, issuer } = { baseUrl: setup.api.baseUrl, issuer: setup.provider.issuer };
    const cookie = browser.cookieHeader(`${baseUrl}/api/auth/logout`);

    const response = await setup.api.request('/api/auth/logout', {
      method: 'POST',
      as: 'anonymous',
      headers: { cookie, 'x-csrf-token': browser.cookie(baseUrl, 'issuecast_csrf') ?? '' },
    });

    expect(response.status).toBe(200);
    const endSession = new URL(((await response.json()) as SignedOut).endSessionUrl);
    expect(endSession.origin + endSession.pathname).toBe(`${issuer}/session/end`);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${baseUrl}/sign-in`);
    expect(endSession.searchParams.get('id_token_hint')).toBe(browser.cookie(baseUrl, 'issuecast_id_token'));
    expect((await setup.api.request('/api/auth/me', { as: 'anonymous', headers: { cookie } })).status).toBe(
      401,
    );
  });

  it('keeps password sign-out as it was: 204, no provider', async () => {
    const token = await setup.api.signIn('alice');

    const response = await setup.api.request('/api/auth/logout', {
      method: 'POST',
      as: 'anonymous',
      headers: { authorization: `Bearer ${token}` },
    });

    expect(response.status).toBe(204);
  });
});

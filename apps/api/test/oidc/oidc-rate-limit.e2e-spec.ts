import { expectTooMany } from '../throttling/limited-app';
import { type OidcSetup, signInAtProvider, startOidcSetup } from './oidc-app';

describe('the sign-in limit on OpenID Connect', () => {
  let setup: OidcSetup;

  beforeAll(async () => {
    // The test app's own two password sign-ins are the first two attempts of this address.
    setup = await startOidcSetup({ RATE_LIMIT_LOGINS: '4' });
  });

  afterAll(() => setup.close());

  it('counts the start and the callback of a sign-in against the attempts per IP that password sign-ins use, and refuses both with 429 and Retry-After past them', async () => {
    const { api } = setup;
    const { callback } = await signInAtProvider(setup, 'alice');
    expect(callback.status).toBe(302);
    expect(callback.setCookies.some((line) => line.startsWith('issuecast_session='))).toBe(true);

    const start = await fetch(`${api.baseUrl}/api/auth/oidc/login`, { redirect: 'manual' });
    const back = await fetch(`${api.baseUrl}/api/auth/oidc/callback?code=x&state=y`, { redirect: 'manual' });
    const password = await api.request('/api/auth/login', {
      method: 'POST',
      as: 'anonymous',
      body: { username: 'alice', password: 'alice-password' },
    });

    await expectTooMany(start, /too many requests/i);
    expect(start.headers.get('location')).toBeNull();
    await expectTooMany(back, /too many requests/i);
    expect(back.headers.getSetCookie()).toEqual([]);
    await expectTooMany(password, /too many requests/i);
  });
});

import { expectProblem } from '../problem-details';
import { startTestApp, type TestApp } from '../test-app';
import { freePort } from '../ts-entry-process';
import { oidcEnv, untilReady } from './oidc-app';
import { startTestProvider, type TestProvider } from './test-provider';

describe('discovering the OpenID Provider', () => {
  let api: TestApp;
  let provider: TestProvider | undefined;
  let providerPort: number;

  beforeAll(async () => {
    providerPort = await freePort();
    const appPort = await freePort();
    // Nothing listens at the issuer yet: the server starts anyway.
    api = await startTestApp(oidcEnv(`http://127.0.0.1:${providerPort}`, `http://127.0.0.1:${appPort}`), {
      port: appPort,
    });
  });

  afterAll(async () => {
    await api.close();
    await provider?.stop();
  });

  it('starts while the issuer is unreachable, saying oidc is not ready', async () => {
    const ready = await api.request('/api/health/ready', { as: 'anonymous' });

    await expectProblem(ready, {
      status: 503,
      instance: '/api/health/ready',
      detail: 'Not ready: oidc (The OpenID Provider has not been discovered yet)',
    });
    expect((await api.request('/api/health', { as: 'anonymous' })).status).toBe(200);
  });

  it('answers the sign-in button 503 with Retry-After meanwhile, while password sign-in works', async () => {
    const login = await api.request('/api/auth/oidc/login?returnTo=/runs', { as: 'anonymous' });

    await expectProblem(login, {
      status: 503,
      instance: '/api/auth/oidc/login',
      detail: 'Sign-in with the identity provider is not available yet; try again in a moment',
    });
    expect(Number(login.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api.request('/api/auth/me')).status).toBe(200);
  });

  it('becomes ready once the issuer answers, and the button then goes to the provider', async () => {
    provider = await startTestProvider(api.baseUrl, providerPort);

    await untilReady(api.baseUrl);

    const login = await fetch(`${api.baseUrl}/api/auth/oidc/login?returnTo=/runs`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const authorization = new URL(login.headers.get('location') ?? '');
    expect(authorization.origin).toBe(provider.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${api.baseUrl}/api/auth/oidc/callback`);
    for (const parameter of ['code_challenge', 'state', 'nonce']) {
      expect(authorization.searchParams.get(parameter)).toMatch(/^[\w-]{22,}$/);
    }
    expect(login.headers.get('retry-after')).toBeNull();
    expect(login.headers.getSetCookie().find((line) => line.startsWith('issuecast_oidc='))).toMatch(
      /Path=\/api\/auth\/oidc; .*HttpOnly; SameSite=Lax/,
    );
  });
});

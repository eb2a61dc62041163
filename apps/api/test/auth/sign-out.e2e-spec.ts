import type { RunStarted } from '@issuecast/workflows-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectProblem } from '../problem-details';
import { startTestApp, type TestApp } from '../test-app';

const SECRET = 'sign-out-spec-secret-0123456789abcdef0123';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Signs out with `headers` (a bearer token, or a cookie with its CSRF token). */
function signOut(api: TestApp, headers: Record<string, string>): Promise<Response> {
  return api.request('/api/auth/logout', { method: 'POST', as: 'anonymous', headers });
}

function me(api: TestApp, headers: Record<string, string>): Promise<Response> {
  return api.request('/api/auth/me', { as: 'anonymous', headers });
}

describe('signing out revokes the token', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'issuecast-sign-out-'));
  // A draft slow enough to still be streaming when its stream's token signs out.
  const env = {
    AUTH_JWT_SECRET: SECRET,
    DATA_DIR: dataDir,
    RATE_LIMIT_LOGINS: '1000',
    OFFLINE_LLM_DELAY_MS: '50',
  };
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp(env);
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bearer token once it has signed out, and only that sign-in of the user', async () => {
    const [token, other] = [await api.signIn('alice'), await api.signIn('alice')];

    expect((await signOut(api, bearer(token))).status).toBe(204);

    await expectProblem(await me(api, bearer(token)), {
      status: 401,
      instance: '/api/auth/me',
      detail: 'This session was signed out; sign in again',
    });
    expect((await me(api, bearer(other))).status).toBe(200);
  });

  it('refuses a copy of the session cookie kept from before the sign-out', async () => {
    const login = await api.request('/api/auth/login', {
      method: 'POST',
      as: 'anonymous',
      body: { username: 'bob', password: 'bob-password' },
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');

    expect((await signOut(api, { cookie, 'x-csrf-token': csrfToken })).status).toBe(204);

    expect((await me(api, { cookie })).status).toBe(401);
  });

  it('closes the streams the token opened; reconnecting with it is refused', async () => {
    const token = await api.signIn('alice');
    const response = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      as: 'anonymous',
      headers: bearer(token),
      body: { issue: { title: 'Slow one', body: 'Drafted slowly.' } },
    });
    const started = (await response.json()) as RunStarted;
    const { eventsUrl } = started;
    const stream = await api.openSse(eventsUrl, bearer(token), 'anonymous');
    const kept = await api.openSse(eventsUrl);
    await stream.waitFor((event) => event.type === 'llm_response');

    await signOut(api, bearer(token));
    await stream.finished;

    const reconnect = await fetch(`${api.baseUrl}${eventsUrl}`, { headers: bearer(token) });
    expect(reconnect.status).toBe(401);
    const lastSeen = stream.events.at(-1)?.id ?? 0;
    await kept.waitFor((event) => event.id > lastSeen);
    kept.abort();
    await api.request(`/api/workflows/${started.workflowId}/cancel`, { method: 'POST' });
  });

  it('holds after a restart on the same store', async () => {
    const token = await api.signIn('alice');
    await signOut(api, bearer(token));

    await api.close();
    api = await startTestApp(env);

    expect((await me(api, bearer(token))).status).toBe(401);
    expect((await me(api, bearer(await api.signIn('alice')))).status).toBe(200);
  });
});

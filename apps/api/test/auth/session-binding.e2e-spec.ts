import type { RunPage } from '@issuecast/workflows-api';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp, type TestUser } from '../test-app';

const SECRET = 'session-binding-spec-secret-0123456789abcdef';
const TTL_SECONDS = 3600;
const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } };
const nowInSeconds = () => Math.floor(Date.now() / 1000);
const signer = new JwtService({ secret: SECRET });

/** Correctly signed tokens whose claims the server must not trust. */
const UNTRUSTED_CLAIMS: [string, () => string][] = [
  [
    'a user who is not (or no longer) in AUTH_USERS',
    () => signer.sign({ sub: 'mallory', jti: randomUUID() }, { expiresIn: 600 }),
  ],
  ['no exp', () => signer.sign({ sub: 'alice', jti: randomUUID() })],
  [
    'an exp far in the future',
    () => signer.sign({ sub: 'alice', jti: randomUUID(), exp: nowInSeconds() + 10 * 365 * 86_400 }),
  ],
  ['an exp of 1e300', () => signer.sign({ sub: 'alice', jti: randomUUID(), exp: 1e300 })],
  [
    'an exp beyond iat + AUTH_TOKEN_TTL_SECONDS',
    () =>
      signer.sign({
        sub: 'alice',
        jti: randomUUID(),
        iat: nowInSeconds(),
        exp: nowInSeconds() + TTL_SECONDS + 60,
      }),
  ],
  ['no jti (no session to bind CSRF proof to)', () => signer.sign({ sub: 'alice' }, { expiresIn: 600 })],
];

interface BrowserSession {
  cookie: string;
  csrfCookie: string;
  csrfToken: string;
}

describe('session binding', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({
      AUTH_JWT_SECRET: SECRET,
      AUTH_TOKEN_TTL_SECONDS: String(TTL_SECONDS),
      RATE_LIMIT_LOGINS: '1000',
    });
  });

  afterAll(() => api.close());

  async function signInAsBrowser(username: TestUser): Promise<BrowserSession> {
    const response = await api.request('/api/auth/login', {
      method: 'POST',
      as: 'anonymous',
      body: { username, password: `${username}-password` },
    });
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    const pairs = response.headers.getSetCookie().map((setCookie) => setCookie.split(';')[0]);
    const session = pairs.find((pair) => pair.startsWith('issuecast_session=')) ?? '';
    const csrfCookie = pairs.find((pair) => pair.startsWith('issuecast_csrf=')) ?? '';
    return { cookie: session, csrfCookie, csrfToken };
  }

  const runCount = async () =>
    ((await (await api.request('/api/workflows?pageSize=100')).json()) as RunPage).items.length;

  describe('token claims', () => {
    it.each(UNTRUSTED_CLAIMS)(
      'answers 401 to /api/auth/me for a signed token with %s',
      async (_case, token) => {
        const response = await api.request('/api/auth/me', {
          as: 'anonymous',
          headers: { authorization: `Bearer ${token()}` },
        });

        expect(response.status).toBe(401);
        expect(((await response.json()) as { message: string }).message).toMatch(/sign in again/);
      },
    );

    it.each(UNTRUSTED_CLAIMS)(
      'refuses a stream with 401 for a signed token with %s',
      async (_case, token) => {
        const started = await api.request('/api/workflows/comment-on-issue', {
          method: 'POST',
          body: PASTED,
        });
        const { eventsUrl } = (await started.json()) as { eventsUrl: string };

        const response = await api.request(eventsUrl, {
          as: 'anonymous',
          headers: { authorization: `Bearer ${token()}`, accept: 'text/event-stream' },
        });

        expect(response.status).toBe(401);
      },
    );

    it('still accepts the tokens it issues, as a bearer and as a cookie', async () => {
      const browser = await signInAsBrowser('alice');

      const bearer = await api.request('/api/auth/me');
      const cookie = await api.request('/api/auth/me', {
        as: 'anonymous',
        headers: { cookie: browser.cookie },
      });

      expect(bearer.status).toBe(200);
      expect(cookie.status).toBe(200);
    });
  });

  describe('CSRF proof', () => {
    it('answers the login with the CSRF token it also sets as the issuecast_csrf cookie', async () => {
      const browser = await signInAsBrowser('alice');

      expect(browser.csrfCookie).toBe(`issuecast_csrf=${browser.csrfToken}`);
    });

    it('refuses with 403 a matching CSRF cookie and header taken from another session, and starts nothing', async () => {
      const victim = await signInAsBrowser('alice');
      const other = await signInAsBrowser('alice');
      const before = await runCount();

      const response = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        as: 'anonymous',
        body: PASTED,
        headers: { cookie: `${victim.cookie}; ${other.csrfCookie}`, 'x-csrf-token': other.csrfToken },
      });

      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toMatch(/x-csrf-token/i);
      expect(await runCount()).toBe(before);
    });

    it('refuses with 403 a matching pair the client made up, and starts nothing', async () => {
      const victim = await signInAsBrowser('alice');
      const before = await runCount();

      const response = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        as: 'anonymous',
        body: PASTED,
        headers: { cookie: `${victim.cookie}; issuecast_csrf=made-up`, 'x-csrf-token': 'made-up' },
      });

      expect(response.status).toBe(403);
      expect(await runCount()).toBe(before);
    });

    it('accepts the session’s own CSRF token echoed from its cookie', async () => {
      const browser = await signInAsBrowser('alice');

      const response = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        as: 'anonymous',
        body: PASTED,
        headers: { cookie: `${browser.cookie}; ${browser.csrfCookie}`, 'x-csrf-token': browser.csrfToken },
      });

      expect(response.status).toBe(202);
    });
  });

  describe('Origin', () => {
    const ownOrigin = () => new URL(api.baseUrl);

    it.each([
      ['another scheme', (own: URL) => `https://${own.host}`],
      ['another port', (own: URL) => `${own.protocol}//${own.hostname}:${Number(own.port) + 1}`],
    ])('answers 403 to a POST from the same host with %s', async (_case, origin) => {
      const foreign = origin(ownOrigin());
      const before = await runCount();

      const response = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        body: PASTED,
        headers: { origin: foreign },
      });

      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toBe(
        `Requests from ${foreign} are not allowed`,
      );
      expect(await runCount()).toBe(before);
    });

    it('accepts a POST from exactly its own scheme, host and port', async () => {
      const response = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        body: PASTED,
        headers: { origin: ownOrigin().origin },
      });

      expect(response.status).toBe(202);
    });
  });
});

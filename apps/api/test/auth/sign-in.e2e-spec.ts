import type { RunPage, RunStarted } from '@issuecast/workflows-api';
import { startTestApp, type TestApp } from '../test-app';
import { AuthController } from '../../src/auth/auth.controller';

const TOKEN_TTL_SECONDS = 3600;
const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } };

interface SessionBody {
  user: { username: string };
  token: string;
  csrfToken: string;
  expiresAt: string;
}

/** One `Set-Cookie` header: the cookie and its attributes, names lower-cased. */
interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

function parseSetCookie(header: string): SetCookie {
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  const separator = pair.indexOf('=');
  return {
    name: pair.slice(0, separator),
    value: pair.slice(separator + 1),
    attributes: Object.fromEntries(
      attributes.map((attribute) => {
        const [key, ...value] = attribute.split('=');
        return [key.toLowerCase(), value.length ? value.join('=') : true];
      }),
    ),
  };
}

function cookiesOf(response: Response): Record<string, SetCookie> {
  return Object.fromEntries(
    response.headers
      .getSetCookie()
      .map(parseSetCookie)
      .map((cookie) => [cookie.name, cookie]),
  );
}

/** A cookie that a browser drops at once: no time to live, or an expiry in the past. */
function isCleared(cookie: SetCookie | undefined): boolean {
  if (!cookie) return false;
  const { 'max-age': maxAge, expires } = cookie.attributes;
  return maxAge === '0' || (typeof expires === 'string' && Date.parse(expires) < Date.now());
}

describe(AuthController.name, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({
      AUTH_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
      RATE_LIMIT_LOGINS: '1000',
    });
  });

  afterAll(() => api.close());

  function login(body: unknown): Promise<Response> {
    return api.request('/api/auth/login', { method: 'POST', as: 'anonymous', body });
  }

  /** Signs alice in as the browser does and keeps what it would send back: its cookies. */
  async function browserSignIn() {
    const response = await login({ username: 'alice', password: 'alice-password' });
    const session = (await response.json()) as SessionBody;
    const cookies = cookiesOf(response);
    const cookie = Object.values(cookies)
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
    return { response, session, cookies, cookie };
  }

  async function startRun(): Promise<RunStarted> {
    const response = await api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED });
    expect(response.status).toBe(202);
    return (await response.json()) as RunStarted;
  }

  describe('POST /api/auth/login', () => {
    it('answers the user, a bearer token, a CSRF token and when the sign-in ends', async () => {
      const before = Date.now();
      const { response, session } = await browserSignIn();
      const after = Date.now();

      expect(response.status).toBe(200);
      expect(session).toEqual({
        user: { username: 'alice' },
        token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        csrfToken: expect.stringMatching(/^[\w-]{16,}$/),
        expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const expiresAt = Date.parse(session.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + TOKEN_TTL_SECONDS * 1000);
      expect(expiresAt).toBeLessThanOrEqual(after + TOKEN_TTL_SECONDS * 1000);
    });

    it('sets the session cookie HttpOnly, SameSite=Strict on the whole site, and a CSRF cookie the page can read', async () => {
      const { session, cookies } = await browserSignIn();
      const { issuecast_session: sessionCookie, issuecast_csrf: csrfCookie } = cookies;

      expect(sessionCookie.value).toBe(session.token);
      expect(sessionCookie.attributes).toMatchObject({ httponly: true, samesite: 'Strict', path: '/' });
      expect(Date.parse(sessionCookie.attributes['expires'] as string)).toBe(Date.parse(session.expiresAt));

      expect(csrfCookie.value).toBe(session.csrfToken);
      expect(csrfCookie.attributes).toMatchObject({ samesite: 'Strict', path: '/' });
      expect(csrfCookie.attributes).not.toHaveProperty('httponly');
    });

    it('gives every sign-in its own CSRF token', async () => {
      const first = await browserSignIn();
      const second = await browserSignIn();

      expect(second.session.csrfToken).not.toBe(first.session.csrfToken);
    });

    it.each([
      ['a missing password', { username: 'alice' }, 'password should not be empty'],
      ['a missing username', { password: 'alice-password' }, 'username should not be empty'],
      ['an empty password', { username: 'alice', password: '' }, 'password should not be empty'],
      [
        'a password that is not a string',
        { username: 'alice', password: { $ne: '' } },
        'password must be a string',
      ],
      [
        'a username past 100 characters',
        { username: 'a'.repeat(101), password: 'x' },
        'username must be shorter',
      ],
      [
        'an unknown field',
        { username: 'alice', password: 'alice-password', remember: true },
        'property remember should not exist',
      ],
    ])('refuses %s with 400 naming the field, and sets no cookie', async (_case, body, message) => {
      const response = await login(body);
      const error = (await response.json()) as { statusCode: number; message: string | string[] };

      expect(response.status).toBe(400);
      expect(error.statusCode).toBe(400);
      expect([error.message].flat().join('; ')).toContain(message);
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it('does not take the credentials from the query string', async () => {
      const response = await api.request('/api/auth/login?username=alice&password=alice-password', {
        method: 'POST',
        as: 'anonymous',
        body: {},
      });

      expect(response.status).toBe(400);
      expect(response.headers.getSetCookie()).toEqual([]);
    });
  });

  describe('GET /api/auth/me', () => {
    it('knows the user from the session cookie alone', async () => {
      const { session, cookie } = await browserSignIn();

      const response = await api.request('/api/auth/me', { as: 'anonymous', headers: { cookie } });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ user: { username: 'alice' }, expiresAt: session.expiresAt });
    });

    it('knows the user from a bearer token alone', async () => {
      const response = await api.request('/api/auth/me', { as: 'bob' });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ user: { username: 'bob' } });
    });
  });

  describe('the event stream', () => {
    it('streams a run to its end to a real SSE client that sends only the session cookie', async () => {
      const { cookie } = await browserSignIn();
      const { eventsUrl } = await startRun();

      const session = await api.readSse(eventsUrl, { cookie }, 'anonymous');

      expect(session.status).toBe(200);
      expect(session.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(session.events[0]).toMatchObject({ type: 'status', data: { step: 'queued' } });
      expect(session.events.at(-1)?.type).toBe('complete');
    });

    it('streams the same run to a real SSE client that sends only a bearer token', async () => {
      const { eventsUrl } = await startRun();

      const session = await api.readSse(eventsUrl, {}, 'alice');

      expect(session.status).toBe(200);
      expect(session.events.at(-1)?.type).toBe('complete');
    });
  });

  describe('a cookie-authenticated POST', () => {
    it('starts a run (202) for the signed-in user when X-CSRF-Token echoes the CSRF cookie', async () => {
      const { cookie, cookies } = await browserSignIn();

      const response = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        as: 'anonymous',
        body: PASTED,
        headers: { cookie, 'x-csrf-token': cookies['issuecast_csrf'].value, origin: api.baseUrl },
      });
      const { workflowId } = (await response.json()) as RunStarted;
      const runs = (await (await api.request('/api/workflows?pageSize=100')).json()) as RunPage;

      expect(response.status).toBe(202);
      expect(runs.items.map((run) => run.workflowId)).toContain(workflowId);
    });
  });

  describe('POST /api/auth/logout', () => {
    it('clears both cookies, after which the browser is no longer signed in', async () => {
      const { cookie, cookies } = await browserSignIn();

      const response = await api.request('/api/auth/logout', {
        method: 'POST',
        as: 'anonymous',
        headers: { cookie, 'x-csrf-token': cookies['issuecast_csrf'].value },
      });
      const cleared = cookiesOf(response);
      const browserCookies = Object.values(cookies)
        .filter(({ name }) => !isCleared(cleared[name]))
        .map(({ name, value }) => `${name}=${value}`)
        .join('; ');
      const me = await api.request('/api/auth/me', { as: 'anonymous', headers: { cookie: browserCookies } });

      expect(response.status).toBe(204);
      expect(isCleared(cleared['issuecast_session'])).toBe(true);
      expect(isCleared(cleared['issuecast_csrf'])).toBe(true);
      expect(cleared['issuecast_session'].attributes).toMatchObject({ path: '/', httponly: true });
      expect(me.status).toBe(401);
    });

    it('answers 204 to a service signed in with a bearer token', async () => {
      const token = await api.signIn('bob');

      const response = await api.request('/api/auth/logout', {
        method: 'POST',
        as: 'anonymous',
        headers: { authorization: `Bearer ${token}` },
      });

      expect(response.status).toBe(204);
    });
  });
});

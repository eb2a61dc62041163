import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../../test/fake-openai-server';
import { startTestApp, type TestApp, type TestUser } from '../../test/test-app';
import type { WorkflowPageDto } from '../workflows/dto/workflow-page.dto';
import type { WorkflowSnapshotDto } from '../workflows/dto/workflow-snapshot.dto';
import type { WorkflowStartedDto } from '../workflows/dto/workflow-started.dto';

const SECRET = 'authorization-spec-secret-0123456789abcdef';
const ALLOWED_ORIGIN = 'https://triage.example.com';
const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } };
/** Stands for alice's run, which is still running while every denied request is made. */
const RUN = ':aliceRun';

interface Route {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

/** Every route that needs a signed-in user. */
const PROTECTED: [string, Route][] = [
  [
    'POST /api/workflows/comment-on-issue',
    { method: 'POST', path: '/api/workflows/comment-on-issue', body: PASTED },
  ],
  ['GET /api/workflows', { method: 'GET', path: '/api/workflows' }],
  ['GET /api/workflows/:workflowId', { method: 'GET', path: `/api/workflows/${RUN}` }],
  ['GET /api/workflows/:workflowId/events', { method: 'GET', path: `/api/workflows/${RUN}/events` }],
  ['POST /api/workflows/:workflowId/cancel', { method: 'POST', path: `/api/workflows/${RUN}/cancel` }],
  ['POST /api/workflows/:workflowId/post', { method: 'POST', path: `/api/workflows/${RUN}/post` }],
  ['POST /api/auth/logout', { method: 'POST', path: '/api/auth/logout' }],
  ['GET /api/auth/me', { method: 'GET', path: '/api/auth/me' }],
];

const STATE_CHANGING = PROTECTED.filter(([, route]) => route.method === 'POST');
const SAFE = PROTECTED.filter(([, route]) => route.method === 'GET');

/** The routes of one run, as another user would probe them. */
const RUN_ROUTES = PROTECTED.filter(([, route]) => route.path.includes(RUN));

/** A token that is not one the server would accept, and how it was made. */
type BadToken = (api: TestApp) => string;

const nowInSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const expiredToken: BadToken = () =>
  new JwtService({ secret: SECRET }).sign({ sub: 'alice', exp: nowInSeconds() - 60 });

const FORGED: [string, BadToken][] = [
  [
    'a token signed with another secret',
    () =>
      new JwtService({ secret: 'not-the-server-secret-0123456789abcdef' }).sign(
        { sub: 'alice' },
        { expiresIn: 3600 },
      ),
  ],
  [
    'an unsigned token (alg none)',
    () =>
      `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'alice', exp: nowInSeconds() + 3600 })}.`,
  ],
  [
    "alice's token with its payload changed to bob",
    (api) => {
      const [header, payload, signature] = api.tokens.alice.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
      return [header, base64url({ ...claims, sub: 'bob' }), signature].join('.');
    },
  ],
];

/** How a token is presented: as a service would, or as the browser would (with its CSRF proof). */
const TRANSPORTS: [string, (token: string) => Record<string, string>][] = [
  ['as a bearer token', (token) => ({ authorization: `Bearer ${token}` })],
  [
    'as the session cookie',
    (token) => ({ cookie: `issuecast_session=${token}; issuecast_csrf=proof`, 'x-csrf-token': 'proof' }),
  ],
];

interface ErrorBody {
  statusCode: number;
  message: string;
}

describe('authorization', () => {
  let openai: FakeOpenAi;
  let api: TestApp;
  /** Alice's run: it never finishes on its own, so a request that cancelled it would show. */
  let aliceRun: string;
  /** What the browser holds after alice signs in. */
  let browser: { cookie: string; csrfToken: string };

  beforeAll(async () => {
    openai = await startFakeOpenAi({ fallback: streamAnswer(['Looking into it'], { end: 'stall' }) });
    api = await startTestApp({
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      AUTH_JWT_SECRET: SECRET,
      CORS_ORIGINS: ALLOWED_ORIGIN,
      RATE_LIMIT_LOGINS: '1000',
    });
    aliceRun = await startRunningRun('alice');
    browser = await signInAsBrowser('alice');
  });

  afterAll(async () => {
    await api.close();
    await openai.close();
  });

  /** Starts a run as `user` and waits until the model is writing, so its state no longer moves. */
  async function startRunningRun(user: TestUser): Promise<string> {
    const response = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: PASTED,
      as: user,
    });
    expect(response.status).toBe(202);
    const { workflowId, eventsUrl } = (await response.json()) as WorkflowStartedDto;
    const session = await api.openSse(eventsUrl, {}, user);
    await session.waitFor((event) => event.type === 'llm_response');
    session.abort();
    return workflowId;
  }

  async function signInAsBrowser(username: TestUser): Promise<{ cookie: string; csrfToken: string }> {
    const response = await api.request('/api/auth/login', {
      method: 'POST',
      as: 'anonymous',
      body: { username, password: `${username}-password` },
    });
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    const cookie = response.headers
      .getSetCookie()
      .map((setCookie) => setCookie.split(';')[0])
      .join('; ');
    return { cookie, csrfToken };
  }

  function send(route: Route, headers: Record<string, string>, as: TestUser | 'anonymous' = 'anonymous') {
    return api.request(route.path.replace(RUN, aliceRun), {
      method: route.method,
      body: route.body,
      headers: {
        accept: route.path.endsWith('/events') ? 'text/event-stream' : 'application/json',
        ...headers,
      },
      as,
    });
  }

  async function runsOf(user: TestUser): Promise<string[]> {
    const response = await api.request('/api/workflows?pageSize=100', { as: user });
    return ((await response.json()) as WorkflowPageDto).items.map((run) => run.workflowId);
  }

  /** What a denied request must leave as it was: everyone's runs, alice's run still going, her session. */
  async function observable() {
    const snapshot = await api.request(`/api/workflows/${aliceRun}`);
    const me = await api.request('/api/auth/me', { as: 'anonymous', headers: { cookie: browser.cookie } });
    return {
      alice: await runsOf('alice'),
      bob: await runsOf('bob'),
      aliceRun: ((await snapshot.json()) as WorkflowSnapshotDto).status,
      browserSession: me.status,
    };
  }

  /** Makes the request, checks it changed nothing, and returns its answer. */
  async function denied(request: () => Promise<Response>): Promise<{ response: Response; body: ErrorBody }> {
    const before = await observable();
    const response = await request();
    const body = (await response.json()) as ErrorBody;

    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.statusCode).toBe(response.status);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await observable()).toEqual(before);
    expect(before.aliceRun).toBe('running');
    return { response, body };
  }

  describe('without credentials', () => {
    it.each(PROTECTED)('%s answers 401 asking to sign in, and does nothing', async (_name, route) => {
      const { response, body } = await denied(() => send(route, {}));

      expect(response.status).toBe(401);
      expect(body.message).toMatch(/sign in/i);
    });
  });

  describe('a wrong password', () => {
    it.each([
      ['a wrong password', { username: 'alice', password: 'bob-password' }],
      ['an unknown user', { username: 'mallory', password: 'alice-password' }],
    ])('answers 401 to %s at sign-in, with no token and no cookie', async (_case, credentials) => {
      const { response, body } = await denied(() =>
        api.request('/api/auth/login', { method: 'POST', as: 'anonymous', body: credentials }),
      );

      expect(response.status).toBe(401);
      expect(body.message).toBe('Wrong username or password');
      expect(body).not.toHaveProperty('token');
    });
  });

  describe('an expired token', () => {
    it.each(
      PROTECTED.flatMap(([name, route]) =>
        TRANSPORTS.map(([how, present]) => [name, how, route, present] as const),
      ),
    )('%s answers 401 saying the session expired, %s', async (_name, _how, route, present) => {
      const { response, body } = await denied(() => send(route, present(expiredToken(api))));

      expect(response.status).toBe(401);
      expect(body.message).toMatch(/expired/);
    });
  });

  describe('a forged token', () => {
    const cases = PROTECTED.flatMap(([name, route]) =>
      FORGED.flatMap(([forgery, forge]) =>
        TRANSPORTS.map(([how, present]) => [name, forgery, how, route, forge, present] as const),
      ),
    );

    it.each(cases)('%s answers 401 to %s, %s', async (_name, _forgery, _how, route, forge, present) => {
      const { response, body } = await denied(() => send(route, present(forge(api))));

      expect(response.status).toBe(401);
      expect(body.message).toMatch(/not valid/);
    });
  });

  describe("another user's run", () => {
    it.each(RUN_ROUTES)(
      "%s answers bob 404 for alice's run, with the same body as an unknown id",
      async (_name, route) => {
        const unknownId = randomUUID();
        const unknown = await send({ ...route, path: route.path.replace(RUN, unknownId) }, {}, 'bob');
        const unknownBody = JSON.stringify(await unknown.json()).replaceAll(unknownId, '<id>');

        const { response, body } = await denied(() => send(route, {}, 'bob'));

        expect(response.status).toBe(404);
        expect(unknown.status).toBe(404);
        expect(JSON.stringify(body).replaceAll(aliceRun, '<id>')).toBe(unknownBody);
        expect(body.message).toBe(`Workflow ${aliceRun} was not found`);
      },
    );

    it('lists only the caller’s runs', async () => {
      const bobRun = await startRunningRun('bob');

      const alice = await runsOf('alice');
      const bob = await runsOf('bob');

      expect(alice).toContain(aliceRun);
      expect(alice).not.toContain(bobRun);
      expect(bob).toContain(bobRun);
      expect(bob).not.toContain(aliceRun);
    });
  });

  describe('cross-site request forgery', () => {
    const csrfCases: [string, (csrfToken: string) => Record<string, string>][] = [
      ['without X-CSRF-Token', () => ({})],
      ['with a wrong X-CSRF-Token', (csrfToken) => ({ 'x-csrf-token': `${csrfToken.slice(1)}x` })],
      ['with an X-CSRF-Token but no CSRF cookie', (csrfToken) => ({ 'x-csrf-token': csrfToken })],
    ];
    const cases = STATE_CHANGING.flatMap(([name, route]) =>
      csrfCases.map(([proof, headers]) => [name, proof, route, headers] as const),
    );

    it.each(cases)(
      '%s authenticated by the cookie answers 403 %s, and does nothing',
      async (_name, proof, route, headers) => {
        const cookie = proof.includes('no CSRF cookie')
          ? browser.cookie.replace(/; ?issuecast_csrf=[^;]*/, '')
          : browser.cookie;

        const { response, body } = await denied(() => send(route, { cookie, ...headers(browser.csrfToken) }));

        expect(response.status).toBe(403);
        expect(body.message).toMatch(/x-csrf-token/i);
      },
    );

    it('lets the same cookie-authenticated start through when the header echoes the CSRF cookie', async () => {
      const response = await send(PROTECTED[0][1], {
        cookie: browser.cookie,
        'x-csrf-token': browser.csrfToken,
      });

      expect(response.status).toBe(202);
    });

    it('does not ask a bearer request for CSRF proof', async () => {
      const response = await send(PROTECTED[0][1], {}, 'alice');

      expect(response.status).toBe(202);
    });
  });

  describe('a foreign Origin', () => {
    const FOREIGN = ['https://evil.example', 'null'];
    const cases = [
      ...STATE_CHANGING,
      [
        'POST /api/auth/login',
        {
          method: 'POST',
          path: '/api/auth/login',
          body: { username: 'alice', password: 'alice-password' },
        },
      ] as [string, Route],
    ].flatMap(([name, route]) => FOREIGN.map((origin) => [name, origin, route] as const));

    it.each(cases)(
      '%s from Origin %s answers 403 naming the origin, even with a valid bearer token',
      async (_name, origin, route) => {
        const { response, body } = await denied(() => send(route, { origin }, 'alice'));

        expect(response.status).toBe(403);
        expect(body.message).toBe(`Requests from ${origin} are not allowed`);
      },
    );

    it.each(STATE_CHANGING.map(([name, route]) => [name, route] as const))(
      '%s from a foreign Origin answers 403 even with the cookie and its CSRF proof',
      async (_name, route) => {
        const { response, body } = await denied(() =>
          send(route, {
            origin: 'https://evil.example',
            cookie: browser.cookie,
            'x-csrf-token': browser.csrfToken,
          }),
        );

        expect(response.status).toBe(403);
        expect(body.message).toMatch(/evil\.example/);
      },
    );

    it.each(SAFE)('%s from a foreign Origin answers 403 too, with no CORS grant', async (_name, route) => {
      const { response, body } = await denied(() => send(route, { origin: 'https://evil.example' }, 'alice'));

      expect(response.status).toBe(403);
      expect(body.message).toBe('Requests from https://evil.example are not allowed');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('accepts a POST from the app’s own origin and from an origin in CORS_ORIGINS', async () => {
      const own = await send(PROTECTED[0][1], { origin: api.baseUrl }, 'alice');
      const configured = await send(PROTECTED[0][1], { origin: ALLOWED_ORIGIN }, 'alice');

      expect(own.status).toBe(202);
      expect(configured.status).toBe(202);
      expect(configured.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    });
  });

  describe('open routes', () => {
    it.each(['/api/health', '/api/docs', '/api/docs-json'])(
      '%s answers 200 without credentials',
      async (path) => {
        const response = await api.request(path, { as: 'anonymous' });

        expect(response.status).toBe(200);
        await response.body?.cancel();
      },
    );

    it('lets someone who is not signed in sign in', async () => {
      const response = await api.request('/api/auth/login', {
        method: 'POST',
        as: 'anonymous',
        body: { username: 'bob', password: 'bob-password' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ user: { username: 'bob' } });
    });
  });
});

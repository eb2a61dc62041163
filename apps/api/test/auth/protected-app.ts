import type { RunPage, RunSnapshot, RunStarted } from '@issuecast/workflows-api';
import { type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../fake-openai-server';
import { startTestApp, type TestApp, type TestUser } from '../test-app';

export const SECRET = 'authorization-spec-secret-0123456789abcdef';
export const ALLOWED_ORIGIN = 'https://triage.example.com';
const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } };
/** Stands for alice's run, which is still running while every denied request is made. */
export const RUN = ':aliceRun';

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

/** Every route that needs a signed-in user. */
export const PROTECTED: [string, Route][] = [
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

export const STATE_CHANGING = PROTECTED.filter(([, route]) => route.method === 'POST');
export const SAFE = PROTECTED.filter(([, route]) => route.method === 'GET');

interface ErrorBody {
  statusCode: number;
  message: string;
}

/**
 * The app with alice's run going (its model never finishes, so a request that cancelled it would
 * show) and alice signed in as a browser, and the means to prove that a denied request changed nothing.
 */
export interface ProtectedApp {
  api: TestApp;
  aliceRun: string;
  /** What the browser holds after alice signs in. */
  browser: { cookie: string; csrfToken: string };
  /** Sends `route` (with `RUN` standing for alice's run) as `as`, anonymous unless said. */
  send(route: Route, headers: Record<string, string>, as?: TestUser | 'anonymous'): Promise<Response>;
  runsOf(user: TestUser): Promise<string[]>;
  /** Starts a run as `user` and waits until the model is writing, so its state no longer moves. */
  startRunningRun(user: TestUser): Promise<string>;
  /** Makes the request, checks it changed nothing, and returns its answer. */
  denied(request: () => Promise<Response>): Promise<{ response: Response; body: ErrorBody }>;
  close(): Promise<void>;
}

export async function startProtectedApp(): Promise<ProtectedApp> {
  const openai: FakeOpenAi = await startFakeOpenAi({
    fallback: streamAnswer(['Looking into it'], { end: 'stall' }),
  });
  const api = await startTestApp({
    ...openai.appEnv,
    AUTH_JWT_SECRET: SECRET,
    CORS_ORIGINS: ALLOWED_ORIGIN,
    RATE_LIMIT_LOGINS: '1000',
  });

  async function startRunningRun(user: TestUser): Promise<string> {
    const response = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: PASTED,
      as: user,
    });
    expect(response.status).toBe(202);
    const { workflowId, eventsUrl } = (await response.json()) as RunStarted;
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

  const aliceRun = await startRunningRun('alice');
  const browser = await signInAsBrowser('alice');

  const send: ProtectedApp['send'] = (route, headers, as = 'anonymous') =>
    api.request(route.path.replace(RUN, aliceRun), {
      method: route.method,
      body: route.body,
      headers: {
        accept: route.path.endsWith('/events') ? 'text/event-stream' : 'application/json',
        ...headers,
      },
      as,
    });

  async function runsOf(user: TestUser): Promise<string[]> {
    const response = await api.request('/api/workflows?pageSize=100', { as: user });
    return ((await response.json()) as RunPage).items.map((run) => run.workflowId);
  }

  /** What a denied request must leave as it was: everyone's runs, alice's run still going, her session. */
  async function observable() {
    const snapshot = await api.request(`/api/workflows/${aliceRun}`);
    const me = await api.request('/api/auth/me', { as: 'anonymous', headers: { cookie: browser.cookie } });
    return {
      alice: await runsOf('alice'),
      bob: await runsOf('bob'),
      aliceRun: ((await snapshot.json()) as RunSnapshot).status,
      browserSession: me.status,
    };
  }

  async function denied(request: () => Promise<Response>) {
    const before = await observable();
    const response = await request();
    const body = (await response.json()) as ErrorBody;

    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(body.statusCode).toBe(response.status);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await observable()).toEqual(before);
    expect(before.aliceRun).toBe('running');
    return { response, body };
  }

  return {
    api,
    aliceRun,
    browser,
    send,
    runsOf,
    startRunningRun,
    denied,
    close: async () => {
      await api.close();
      await openai.close();
    },
  };
}

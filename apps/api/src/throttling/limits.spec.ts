import { isTerminalEvent } from '@issuecast/workflow-events';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../../test/fake-openai-server';
import type { SseSession } from '../../test/sse-client';
import { startTestApp, type TestApp, type TestUser } from '../../test/test-app';
import type { WorkflowPageDto } from '../workflows/dto/workflow-page.dto';
import type { WorkflowSnapshotDto } from '../workflows/dto/workflow-snapshot.dto';
import type { WorkflowStartedDto } from '../workflows/dto/workflow-started.dto';

const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } };
/** Short, so the tests that wait for a window to pass stay short. */
const WINDOW_MS = '1000';
/** Room for the waits of a window or two on a busy machine. */
const WAITS_FOR_A_WINDOW = 20_000;

/** A refusal as a client sees it: a JSON answer, or an SSE connection answered with JSON. */
type Answer = Pick<Response, 'status' | 'headers'> | SseSession;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Repeats `attempt` until it is no longer refused with 429: the limit has let go. */
async function untilNotLimited<T extends Answer>(attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    const answer = await attempt();
    if (answer.status !== 429) return answer;
    if (answer instanceof Response) await answer.body?.cancel();
    await pause(50);
  }
}

/** Checks a 429 the way a client reads it: `Retry-After` in whole seconds, and a JSON message. */
async function expectTooMany(answer: Answer, message: RegExp): Promise<void> {
  const body = answer instanceof Response ? await answer.json() : (answer as SseSession).body;

  expect(answer.status).toBe(429);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  expect(body).toMatchObject({ statusCode: 429, message: expect.stringMatching(message) });
}

async function withApp(env: Record<string, string>, test: (api: TestApp) => Promise<void>): Promise<void> {
  const api = await startTestApp(env);
  try {
    await test(api);
  } finally {
    await api.close();
  }
}

function start(api: TestApp, as: TestUser = 'alice', body: unknown = PASTED): Promise<Response> {
  return api.request('/api/workflows/comment-on-issue', { method: 'POST', body, as });
}

async function startRun(api: TestApp, as: TestUser = 'alice'): Promise<WorkflowStartedDto> {
  const response = await start(api, as);
  expect(response.status).toBe(202);
  return (await response.json()) as WorkflowStartedDto;
}

async function runsOf(api: TestApp, as: TestUser = 'alice'): Promise<WorkflowPageDto['items']> {
  const response = await api.request('/api/workflows?pageSize=100', { as });
  return ((await response.json()) as WorkflowPageDto).items;
}

describe('rate limits', () => {
  it(
    'refuses a 4th sign-in from one IP within the window with 429 and Retry-After, even with the right password, and lets it in once the window has passed',
    () =>
      withApp({ RATE_LIMIT_WINDOW_MS: WINDOW_MS, RATE_LIMIT_LOGINS: '3' }, async (api) => {
        const attempt = (password: string) =>
          api.request('/api/auth/login', {
            method: 'POST',
            as: 'anonymous',
            body: { username: 'alice', password },
          });
        // The test app signed alice and bob in as it started: use up that window, then wait it out.
        for (let tries = 1; (await attempt('alice-password')).status !== 429; tries++) {
          expect(tries).toBeLessThan(4);
        }
        const first = await untilNotLimited(() => attempt('alice-password'));
        const second = await attempt('wrong-password');
        const third = await attempt('wrong-password');
        const fourth = await attempt('alice-password');

        expect(first.status).toBe(200);
        expect(second.status).toBe(401);
        expect(third.status).toBe(401);
        await expectTooMany(fourth, /too many requests/i);
        expect(fourth.headers.getSetCookie()).toEqual([]);

        const later = await untilNotLimited(() => attempt('alice-password'));
        expect(later.status).toBe(200);
        expect(await later.json()).toMatchObject({ user: { username: 'alice' } });
      }),
    WAITS_FOR_A_WINDOW,
  );

  describe('behind a proxy', () => {
    const login = (api: TestApp, forwardedFor: string, password = 'alice-password') =>
      api.request('/api/auth/login', {
        method: 'POST',
        as: 'anonymous',
        body: { username: 'alice', password },
        headers: { 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'https' },
      });

    it.each(['loopback', '1'])(
      'counts sign-ins per forwarded client address and marks the cookie Secure with TRUST_PROXY=%s',
      (trustProxy) =>
        withApp({ RATE_LIMIT_LOGINS: '3', TRUST_PROXY: trustProxy }, async (api) => {
          for (let attempt = 0; attempt < 3; attempt++) {
            expect((await login(api, '203.0.113.7', 'wrong-password')).status).toBe(401);
          }
          await expectTooMany(await login(api, '203.0.113.7'), /too many requests/i);

          const other = await login(api, '203.0.113.8');
          expect(other.status).toBe(200);
          expect(other.headers.getSetCookie().join('\n')).toMatch(/; Secure/);
        }),
    );

    it('ignores X-Forwarded-For and X-Forwarded-Proto without TRUST_PROXY: a header cannot dodge the limit', () =>
      withApp({ RATE_LIMIT_LOGINS: '3' }, async (api) => {
        // The test app's own two sign-ins came from this address too.
        const third = await login(api, '203.0.113.7');
        expect(third.status).toBe(200);
        expect(third.headers.getSetCookie().join('\n')).not.toMatch(/; Secure/);

        await expectTooMany(await login(api, '203.0.113.8'), /too many requests/i);
      }));
  });

  it(
    'refuses a user’s 3rd run start within the window with 429 and starts nothing, leaves other users alone, and lets them start once the window has passed',
    () =>
      withApp({ RATE_LIMIT_WINDOW_MS: WINDOW_MS, RATE_LIMIT_RUN_STARTS: '2' }, async (api) => {
        await startRun(api);
        await startRun(api);

        await expectTooMany(await start(api), /too many requests/i);
        expect(await runsOf(api)).toHaveLength(2);
        expect((await start(api, 'bob')).status).toBe(202);

        const later = await untilNotLimited(() => start(api));
        expect(later.status).toBe(202);
        expect(await runsOf(api)).toHaveLength(3);
      }),
    WAITS_FOR_A_WINDOW,
  );

  it(
    'refuses a user’s 4th connection to event streams within the window with 429 before any stream starts, leaves other users alone, and lets them connect once the window has passed',
    () =>
      withApp({ RATE_LIMIT_WINDOW_MS: WINDOW_MS, RATE_LIMIT_STREAM_CONNECTS: '3' }, async (api) => {
        const { eventsUrl } = await startRun(api);
        const bobRun = await startRun(api, 'bob');
        for (let connection = 1; connection <= 3; connection++) {
          expect((await api.readSse(eventsUrl)).status).toBe(200);
        }

        const refused = await api.openSse(eventsUrl);
        await expectTooMany(refused, /too many requests/i);
        expect(refused.events).toEqual([]);
        expect((await api.readSse(bobRun.eventsUrl, {}, 'bob')).status).toBe(200);

        const later = await untilNotLimited(() => api.readSse(eventsUrl));
        expect(later.status).toBe(200);
        expect(later.events.at(-1)?.type).toBe('complete');
      }),
    WAITS_FOR_A_WINDOW,
  );
});

describe('caps on what is open at once', () => {
  const SECRET = 'limits-spec-secret-0123456789abcdefghij';
  let openai: FakeOpenAi;
  let api: TestApp;

  beforeAll(async () => {
    // The model writes one token and then nothing: runs stay running until they are cancelled.
    openai = await startFakeOpenAi({ fallback: streamAnswer(['Looking into it'], { end: 'stall' }) });
    api = await startTestApp({
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_MAX_RETRIES: '0',
      AUTH_JWT_SECRET: SECRET,
      MAX_RUNNING_RUNS_PER_USER: '2',
      MAX_OPEN_STREAMS_PER_USER: '2',
    });
  });

  afterEach(async () => {
    for (const user of ['alice', 'bob'] as const) {
      for (const run of await runsOf(api, user)) {
        if (run.status === 'queued' || run.status === 'running') {
          await api.request(`/api/workflows/${run.workflowId}/cancel`, { method: 'POST', as: user });
        }
      }
    }
  });

  afterAll(async () => {
    await api.close();
    await openai.close();
  });

  const openWhenAllowed = (url: string) => untilNotLimited(() => api.openSse(url));

  it('refuses a 3rd run while two are running with 429 and starts nothing; bob can still start; once one is cancelled, alice can start again', async () => {
    const first = await startRun(api);
    await startRun(api);

    const refused = await start(api);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      statusCode: 429,
      message: expect.stringContaining('2 runs going'),
    });
    expect(await runsOf(api)).toHaveLength(2);
    expect((await start(api, 'bob')).status).toBe(202);

    const cancelled = await api.request(`/api/workflows/${first.workflowId}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect((await start(api)).status).toBe(202);
  });

  it('refuses a 3rd open stream with 429 and Retry-After, and a stream the client drops frees its place', async () => {
    const { eventsUrl } = await startRun(api);
    const bobRun = await startRun(api, 'bob');
    const open = [await api.openSse(eventsUrl), await api.openSse(eventsUrl)];
    expect(open.map((session) => session.status)).toEqual([200, 200]);

    await expectTooMany(await api.openSse(eventsUrl), /2 event streams open/);
    const bobStream = await api.openSse(bobRun.eventsUrl, {}, 'bob');
    expect(bobStream.status).toBe(200);

    const dropped = open.shift() as SseSession;
    dropped.abort();
    await expect(dropped.finished).resolves.toBe('aborted');
    open.push(await openWhenAllowed(eventsUrl));
    expect(open.at(-1)?.status).toBe(200);
    // Only the dropped stream's place came free: the other two still count.
    expect((await api.openSse(eventsUrl)).status).toBe(429);

    for (const session of open.splice(0)) session.abort();
    open.push(await openWhenAllowed(eventsUrl), await openWhenAllowed(eventsUrl));
    expect(open.map((session) => session.status)).toEqual([200, 200]);
    for (const session of [...open, bobStream]) session.abort();
  });

  it('frees the places of streams that the server ends with their run', async () => {
    const run = await startRun(api);
    const open = [await api.openSse(run.eventsUrl), await api.openSse(run.eventsUrl)];
    await Promise.all(open.map((session) => session.waitFor((event) => event.type === 'llm_response')));

    await api.request(`/api/workflows/${run.workflowId}/cancel`, { method: 'POST' });
    await expect(Promise.all(open.map((session) => session.finished))).resolves.toEqual(['ended', 'ended']);
    const next = await startRun(api);
    const reopened = [await openWhenAllowed(next.eventsUrl), await openWhenAllowed(next.eventsUrl)];

    expect(reopened.map((session) => session.status)).toEqual([200, 200]);
    for (const session of reopened) session.abort();
  });

  it(
    'ends a stream when the token that opened it expires, before the run has ended',
    async () => {
      const expiresAt = Math.ceil(Date.now() / 1000) + 2;
      const shortToken = new JwtService({ secret: SECRET }).sign({
        sub: 'alice',
        jti: randomUUID(),
        exp: expiresAt,
      });
      const bearer = { authorization: `Bearer ${shortToken}` };
      const run = await startRun(api);

      const session = await api.openSse(run.eventsUrl, bearer, 'anonymous');
      const longLived = await api.openSse(run.eventsUrl);
      expect(session.status).toBe(200);

      await expect(session.finished).resolves.toBe('ended');
      const stillOpen = await Promise.race([longLived.finished, Promise.resolve('open')]);
      longLived.abort();
      const snapshot = (await (
        await api.request(`/api/workflows/${run.workflowId}`)
      ).json()) as WorkflowSnapshotDto;
      const reconnect = await api.openSse(run.eventsUrl, bearer, 'anonymous');

      expect(session.events.map((event) => event.type)).toContain('llm_response');
      expect(session.events.some(isTerminalEvent)).toBe(false);
      expect(stillOpen).toBe('open');
      expect(snapshot.status).toBe('running');
      expect(reconnect.status).toBe(401);
      expect(reconnect.body).toMatchObject({ message: expect.stringMatching(/expired/) });
    },
    WAITS_FOR_A_WINDOW,
  );

  it('refuses a JSON body over 128 kB with 413 and a JSON message, and starts nothing', async () => {
    const before = await runsOf(api);

    const response = await start(api, 'alice', { issue: { title: 'Huge', body: 'x'.repeat(140 * 1024) } });

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      statusCode: 413,
      message: expect.stringMatching(/too large/),
    });
    expect(await runsOf(api)).toEqual(before);
  });
});

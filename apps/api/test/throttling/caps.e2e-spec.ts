import { isTerminalEvent } from '@issuecast/workflow-events';
import type { RunSnapshot } from '@issuecast/workflows-api';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { SseSession } from '../sse-client';
import { type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../fake-openai-server';
import { startTestApp, type TestApp } from '../test-app';
import { expectTooMany, runsOf, start, startRun, untilNotLimited, WAITS_FOR_A_WINDOW } from './limited-app';

describe('caps on what is open at once', () => {
  const SECRET = 'limits-spec-secret-0123456789abcdefghij';
  let openai: FakeOpenAi;
  let api: TestApp;

  beforeAll(async () => {
    // The model writes one token and then nothing: runs stay running until they are cancelled.
    openai = await startFakeOpenAi({ fallback: streamAnswer(['Looking into it'], { end: 'stall' }) });
    api = await startTestApp({
      ...openai.appEnv,
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
      const snapshot = (await (await api.request(`/api/workflows/${run.workflowId}`)).json()) as RunSnapshot;
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

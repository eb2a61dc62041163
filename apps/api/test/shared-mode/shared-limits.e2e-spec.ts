import type { RunStarted } from '@issuecast/workflows-api';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../fake-openai-server';
import { signInAlice, startServerProcess } from '../server-process';
import { openSse, type SseSession } from '../sse-client';
import { createTestStore, type TestStore } from '../store/test-store';
import { describeWithSharedMode } from '../store/test-redis';
import { startTestApp, type TestApp } from '../test-app';
import { expectTooMany, start, startRun, untilNotLimited } from '../throttling/limited-app';

/** Short, so that the places of the instance that is killed come free soon. */
const LEASE_MS = '2000';

describeWithSharedMode('caps and rate limits across the instances of the shared mode', () => {
  let store: TestStore;
  let openai: FakeOpenAi;
  let api1: TestApp;
  let api2: TestApp;
  const open: SseSession[] = [];

  beforeAll(async () => {
    store = await createTestStore('shared');
    // The model writes one token and then nothing: runs stay running, streams open.
    openai = await startFakeOpenAi({ fallback: streamAnswer(['Looking into it'], { end: 'stall' }) });
    const env = {
      ...store.env,
      ...openai.appEnv,
      AUTH_JWT_SECRET: 'shared-limits-spec-secret-0123456789abcdef',
      MAX_OPEN_STREAMS_PER_USER: '2',
      RATE_LIMIT_RUN_STARTS: '3',
      RUN_LEASE_MS: LEASE_MS,
    };
    api1 = await startTestApp(env);
    api2 = await startTestApp(env);
  });

  afterEach(() => {
    for (const session of open.splice(0)) session.abort();
  });

  afterAll(async () => {
    await api1.close();
    await api2.close();
    await openai.close();
    await store.remove();
  });

  const keep = (session: SseSession) => {
    open.push(session);
    return session;
  };

  it('refuses on instance 2 a stream of a user at the cap on instance 1, and admits it once a stream on instance 1 closes', async () => {
    const { eventsUrl } = await startRun(api1);
    const onFirst = [keep(await api1.openSse(eventsUrl)), keep(await api1.openSse(eventsUrl))];
    expect(onFirst.map((session) => session.status)).toEqual([200, 200]);

    await expectTooMany(await api2.openSse(eventsUrl), /2 event streams open/);
    expect(keep(await api2.openSse(eventsUrl, {}, 'bob')).status).toBe(404);

    onFirst[0].abort();
    const onSecond = keep(await untilNotLimited(() => api2.openSse(eventsUrl)));
    expect(onSecond.status).toBe(200);
    // The one left on instance 1 and the new one on instance 2 fill the cap again, on both.
    await expectTooMany(await api1.openSse(eventsUrl), /2 event streams open/);
    await expectTooMany(await api2.openSse(eventsUrl), /2 event streams open/);
  });

  it('counts a user’s run starts over both instances against one limit', async () => {
    expect((await start(api1, 'bob')).status).toBe(202);
    expect((await start(api2, 'bob')).status).toBe(202);
    expect((await start(api1, 'bob')).status).toBe(202);

    await expectTooMany(await start(api2, 'bob'), /too many requests/i);
    await expectTooMany(await start(api1, 'bob'), /too many requests/i);
  });

  describe('an instance that dies', () => {
    let child: ChildProcess;
    let baseUrl: string;

    beforeAll(async () => {
      ({ child, baseUrl } = await startServerProcess({
        ...store.env,
        ...openai.appEnv,
        MAX_OPEN_STREAMS_PER_USER: '2',
        RUN_LEASE_MS: LEASE_MS,
      }));
    });

    afterAll(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    });

    it('keeps its places while it lives, and they come free within the lease once it is killed', async () => {
      const authorization = await signInAlice(baseUrl);
      const started = await fetch(`${baseUrl}/api/workflows/comment-on-issue`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ issue: { title: 'Crash on save' } }),
      });
      const { eventsUrl } = (await started.json()) as RunStarted;
      const onChild = [
        keep(await openSse(`${baseUrl}${eventsUrl}`, { authorization })),
        keep(await openSse(`${baseUrl}${eventsUrl}`, { authorization })),
      ];
      expect(onChild.map((session) => session.status)).toEqual([200, 200]);
      const { eventsUrl: elsewhere } = await startRun(api1);
      // Past several renewals: the child holds its places for as long as it lives.
      await new Promise((resolve) => setTimeout(resolve, 2 * Number(LEASE_MS)));
      await expectTooMany(await api1.openSse(elsewhere), /2 event streams open/);

      // Its clients see their connections cut, as they would.
      for (const session of onChild) session.finished.catch(() => undefined);
      child.kill('SIGKILL');
      await once(child, 'exit');

      const admitted = [
        keep(await untilNotLimited(() => api1.openSse(elsewhere))),
        keep(await untilNotLimited(() => api2.openSse(elsewhere))),
      ];
      expect(admitted.map((session) => session.status)).toEqual([200, 200]);
    });
  });
});

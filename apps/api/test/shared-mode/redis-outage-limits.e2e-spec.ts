import { type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../fake-openai-server';
import type { SseSession } from '../sse-client';
import { createTestStore, type TestStore } from '../store/test-store';
import { describeWithSharedMode } from '../store/test-redis';
import { startTestApp, type TestApp } from '../test-app';
import { expectTooMany, startRun } from '../throttling/limited-app';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

describeWithSharedMode('caps and rate limits while Redis is unreachable', () => {
  let store: TestStore;
  let proxy: TcpProxy;
  let openai: FakeOpenAi;
  /** The instance whose Redis is taken away, and one that keeps it. */
  let cut: TestApp;
  let other: TestApp;
  const open: SseSession[] = [];

  beforeAll(async () => {
    store = await createTestStore('shared');
    proxy = await startTcpProxy(store.env['REDIS_URL']);
    openai = await startFakeOpenAi({ fallback: streamAnswer(['Looking into it'], { end: 'stall' }) });
    const env = {
      ...store.env,
      ...openai.appEnv,
      AUTH_JWT_SECRET: 'redis-outage-spec-secret-0123456789abcdef',
      MAX_OPEN_STREAMS_PER_USER: '2',
      RUN_LEASE_MS: '2000',
      LOG_LEVEL: 'warn',
    };
    // The test app's own two sign-ins are the first two of three, counted in Redis.
    cut = await startTestApp({ ...env, REDIS_URL: proxy.url, RATE_LIMIT_LOGINS: '3' });
    other = await startTestApp(env);
  });

  afterEach(async () => {
    for (const session of open.splice(0)) session.abort();
    await proxy.restore();
    await readiness(cut, 200);
  });

  afterAll(async () => {
    await cut.close();
    await other.close();
    await proxy.close();
    await openai.close();
    await store.remove();
  });

  async function readiness(api: TestApp, status: number): Promise<void> {
    while ((await api.request('/api/health/ready', { as: 'anonymous' })).status !== status) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const keep = (session: SseSession) => {
    open.push(session);
    return session;
  };
  const warnings = () => cut.logLines.join('\n');

  it('opens streams up to the cap counted by the instance alone, and counts them across instances once Redis is back', async () => {
    const { eventsUrl } = await startRun(cut);
    await proxy.cut();
    await readiness(cut, 503);

    const opened = [keep(await cut.openSse(eventsUrl)), keep(await cut.openSse(eventsUrl))];
    expect(opened.map((session) => session.status)).toEqual([200, 200]);
    await expectTooMany(await cut.openSse(eventsUrl), /2 event streams open/);
    expect(warnings()).toMatch(/open streams are counted by this instance alone until it is back/);

    await proxy.restore();
    await readiness(cut, 200);
    // The next renewal puts the streams opened meanwhile in Redis, where the other instance counts them.
    for (;;) {
      const attempt = keep(await other.openSse(eventsUrl));
      if (attempt.status === 429) break;
      attempt.abort();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    opened[0].abort();
    await expect(opened[0].finished).resolves.toBe('aborted');
    let admitted: SseSession;
    do admitted = keep(await other.openSse(eventsUrl));
    while (admitted.status === 429);
    expect(admitted.status).toBe(200);
  });

  it('keeps counting sign-ins per IP in the instance alone, with the same limit, refusing past it with 429', async () => {
    await proxy.cut();
    await readiness(cut, 503);
    const login = () =>
      cut.request('/api/auth/login', {
        method: 'POST',
        as: 'anonymous',
        body: { username: 'alice', password: 'alice-password' },
      });

    const allowed = [await login(), await login(), await login()];
    const refused = await login();

    expect(allowed.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await expectTooMany(refused, /too many requests/i);
    expect(warnings()).toMatch(/rate limits are counted by this instance alone until it is back/);
  });
});

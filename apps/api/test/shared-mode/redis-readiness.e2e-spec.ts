import { expectProblem } from '../problem-details';
import { createTestStore, type TestStore } from '../store/test-store';
import { startTestApp, type TestApp } from '../test-app';
import { RedisIndicator } from '../../src/health/redis-indicator';
import { describeWithSharedMode } from '../store/test-redis';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

describeWithSharedMode(RedisIndicator.name, () => {
  let store: TestStore;
  let proxy: TcpProxy;
  let api: TestApp;
  beforeAll(async () => {
    store = await createTestStore('shared');
    proxy = await startTcpProxy(store.env['REDIS_URL']);
    api = await startTestApp({ ...store.env, REDIS_URL: proxy.url });
  });
  afterAll(async () => {
    await api.close();
    await proxy.close();
    await store.remove();
  });

  async function waitForReadiness(status: number): Promise<Response> {
    for (;;) {
      const ready = await api.request('/api/health/ready', { as: 'anonymous' });
      if (ready.status === status) return ready;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('says Redis is up among the readiness checks of the shared mode', async () => {
    const ready = await api.request('/api/health/ready', { as: 'anonymous' });

    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ info: { redis: { status: 'up' }, store: { status: 'up' } } });
  });

  it('answers 503 naming redis while Redis is unreachable, and ready again once it is back', async () => {
    await proxy.cut();

    const down = await waitForReadiness(503);
    await expectProblem(down, {
      status: 503,
      instance: '/api/health/ready',
      detail: expect.stringMatching(/^Not ready: redis \(Redis is unreachable: .+\)$/),
    });

    await proxy.restore();
    expect((await waitForReadiness(200)).status).toBe(200);
  });
});

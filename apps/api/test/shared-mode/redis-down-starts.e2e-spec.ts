import { expectProblem } from '../problem-details';
import { createTestStore, type TestStore } from '../store/test-store';
import { describeWithSharedMode } from '../store/test-redis';
import { startTestApp, type TestApp } from '../test-app';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

const PASTED = { issue: { title: 'Export drops the last row', body: 'The CSV has one row less.' } };

describeWithSharedMode('Starting runs while Redis is unreachable (ROLE=all in the shared mode)', () => {
  let store: TestStore;
  let proxy: TcpProxy;
  let api: TestApp;

  beforeAll(async () => {
    store = await createTestStore('shared');
    proxy = await startTcpProxy(store.env['REDIS_URL']);
    api = await startTestApp({ ...store.env, REDIS_URL: proxy.url, RUN_LEASE_MS: '2000' });
  });

  afterAll(async () => {
    await api?.close();
    await proxy?.close();
    await store?.remove();
  });

  const start = () => api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED });

  it('refuses a start with 503 and Retry-After, keeping no run of it, and starts runs again once Redis is back', async () => {
    await proxy.cut();

    const refused = await start();

    await expectProblem(refused, {
      status: 503,
      instance: '/api/workflows/comment-on-issue',
      detail: expect.stringContaining('run queue') as string,
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const list = (await (await api.request('/api/workflows')).json()) as { total: number };
    expect(list.total).toBe(0);

    await proxy.restore();
    let accepted = await start();
    // The queue's connection comes back on its own; until it has, starts are refused the same way.
    while (accepted.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      accepted = await start();
    }
    expect(accepted.status).toBe(202);
    const { workflowId } = (await accepted.json()) as { workflowId: string };
    const { events } = await api.readSse(`/api/workflows/${workflowId}/events`);
    expect(events.at(-1)).toMatchObject({ type: 'complete' });
  });
});

import { expectOneTerminalEventLast } from '../run-events';
import { createTestStore, type TestStore } from '../store/test-store';
import { describeWithSharedMode } from '../store/test-redis';
import { type SharedProcess, startSharedProcess, waitForSnapshot } from './shared-topology';

const PASTED = { issue: { title: 'Dark mode flickers', body: 'The theme flips on every page load.' } };

describeWithSharedMode('A worker stopped with SIGTERM (the shared mode)', () => {
  let store: TestStore;
  let api: SharedProcess;
  let worker: SharedProcess;

  beforeAll(async () => {
    store = await createTestStore('shared');
    [api, worker] = await Promise.all([
      startSharedProcess(store.env, 'api', { RUN_LEASE_MS: '2000' }),
      startSharedProcess(store.env, 'worker', { RUN_LEASE_MS: '2000' }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api, worker].map((process) => process?.stop()));
    await store?.remove();
  });

  it('ends the runs it executes with one interrupted error, stored before it exits', async () => {
    const started = await api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED });
    const { workflowId } = (await started.json()) as { workflowId: string };
    await waitForSnapshot(api, workflowId, ({ lastEventId }) => lastEventId >= 3);

    await worker.stop('SIGTERM');

    // Read once it has exited: a sweep would have ended the run `worker_lost`, not `interrupted`.
    const snapshot = (await (await api.request(`/api/workflows/${workflowId}`)).json()) as object;
    expect(snapshot).toMatchObject({ status: 'failed', error: { code: 'interrupted', retryable: true } });
    const { events } = await api.replay(workflowId);
    expectOneTerminalEventLast(events);
    expect(events.at(-1)).toMatchObject({ type: 'error', data: { code: 'interrupted' } });
  });
});

import { isTerminalEvent } from '@issuecast/workflow-events';
import { expectOneTerminalEventLast, textOf } from '../run-events';
import { createTestStore, type TestStore } from '../store/test-store';
import { describeWithSharedMode } from '../store/test-redis';
import { type SharedProcess, startSharedProcess, waitForSnapshot } from './shared-topology';

const PASTED = { issue: { title: 'Login fails on Safari', body: 'Clicking Sign in does nothing.' } };

/** Short leases keep the suite fast; nothing here asserts how long anything took. */
const TOPOLOGY = { RUN_LEASE_MS: '2000', MAX_RUNNING_RUNS_PER_USER: '2' };

/**
 * Two API instances and one worker in child processes on one PostgreSQL database and one Redis
 * key prefix. In order: a run crosses from an API instance to the worker, a cancel crosses back,
 * the worker is killed, and with no worker left the caps still hold across instances.
 */
describeWithSharedMode('Runs across API instances and a worker (the run queue)', () => {
  let store: TestStore;
  let first: SharedProcess;
  let second: SharedProcess;
  let worker: SharedProcess;

  beforeAll(async () => {
    store = await createTestStore('shared');
    [first, second, worker] = await Promise.all([
      startSharedProcess(store.env, 'api', TOPOLOGY),
      startSharedProcess(store.env, 'api', TOPOLOGY),
      startSharedProcess(store.env, 'worker', TOPOLOGY),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([first, second, worker].map((process) => process?.stop()));
    await store?.remove();
  });

  async function start(instance: SharedProcess): Promise<Response> {
    return instance.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED });
  }

  async function started(instance: SharedProcess): Promise<string> {
    const response = await start(instance);
    expect(response.status).toBe(202);
    return ((await response.json()) as { workflowId: string }).workflowId;
  }

  it('executes a run started on an API instance on the worker, and streams it live and whole from the other instance', async () => {
    const workflowId = await started(first);

    // Opened while the worker drafts: its events reach this instance through Redis as they are stored.
    const { events } = await second.replay(workflowId);
    const snapshot = await waitForSnapshot(first, workflowId, ({ status }) => status === 'completed');

    expect(snapshot.lastEventId).toBe(events.length);
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]).toMatchObject({ type: 'status', data: { step: 'queued' } });
    expectOneTerminalEventLast(events);
    expect(events.at(-1)).toMatchObject({ type: 'complete', data: { content: textOf(events) } });
  });

  it('serves only health, readiness and metrics on the worker', async () => {
    expect((await worker.request('/api/health')).status).toBe(200);
    expect((await worker.request('/api/health/ready')).status).toBe(200);
    expect((await worker.request('/api/workflows')).status).toBe(404);
    expect((await worker.request('/api/auth/login', { method: 'POST', body: {} })).status).toBe(404);
    expect((await worker.request('/api/docs-json')).status).toBe(404);
  });

  it('cancels a run the worker executes from an API instance that did not start it', async () => {
    const workflowId = await started(first);
    await waitForSnapshot(first, workflowId, ({ lastEventId }) => lastEventId >= 3);

    const cancelled = await second.request(`/api/workflows/${workflowId}/cancel`, { method: 'POST' });

    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    const { events } = await first.replay(workflowId);
    expectOneTerminalEventLast(events);
    expect(events.at(-1)).toMatchObject({ type: 'error', data: { code: 'cancelled' } });
  });

  it('ends the run of a worker killed mid-run with one worker_lost error after its last event, with no worker left', async () => {
    const workflowId = await started(first);
    await waitForSnapshot(first, workflowId, ({ lastEventId }) => lastEventId >= 5);

    await worker.stop('SIGKILL');
    const ended = await waitForSnapshot(
      first,
      workflowId,
      ({ status }) => status !== 'running' && status !== 'queued',
    );

    expect(ended).toMatchObject({ status: 'failed', error: { code: 'worker_lost', retryable: true } });
    const { events } = await second.replay(workflowId);
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    // Both API instances sweep: one of them ended it, once.
    expect(events.filter(isTerminalEvent)).toEqual([
      expect.objectContaining({ type: 'error', data: expect.objectContaining({ code: 'worker_lost' }) }),
    ]);
    expect(events.at(-1)?.type).toBe('error');
  });

  it('holds the running-runs cap across instances, and a slot freed on one opens on the other', async () => {
    // No worker is left: the runs stay queued, each counting against the cap.
    const queued = [await started(first), await started(second)];

    const refused = await start(second);
    expect(refused.status).toBe(429);
    expect((await start(first)).status).toBe(429);

    const cancelled = await second.request(`/api/workflows/${queued[0]}/cancel`, { method: 'POST' });
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect((await start(first)).status).toBe(202);
  });
});

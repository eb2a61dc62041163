import type { WorkflowEvent } from '@issuecast/workflow-events';
import { expectOneTerminalEventLast, textOf } from '../run-events';
import type { SseSession } from '../sse-client';
import { describeWithSharedMode } from '../store/test-redis';
import { createTestStore, type TestStore } from '../store/test-store';
import { startTestApp, type TestApp } from '../test-app';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/** Resolves once `condition` holds, looking every 50 ms; fails after 400 looks, so that a stuck spec fails instead of looping. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let look = 0; !(await condition()); look++) {
    if (look === 400) throw new Error('The condition never held');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ids = (events: readonly WorkflowEvent[]) => events.map((event) => event.id);

describeWithSharedMode('a run streamed from another instance of the shared mode', () => {
  let store: TestStore;
  let proxy: TcpProxy;
  let first: TestApp;
  let second: TestApp | undefined;
  /**
   * Both instances reach Redis through the proxy, so that a test can take it away from both. They share
   * their signing secret, as instances behind one load balancer do (and Passport keeps one per process).
   */
  const startInstance = (role: 'all' | 'api') =>
    startTestApp({
      ...store.env,
      ROLE: role,
      REDIS_URL: proxy.url,
      AUTH_JWT_SECRET: 'the-signing-secret-every-instance-shares',
      OFFLINE_LLM_DELAY_MS: '25',
      SSE_HEARTBEAT_MS: '100',
    });
  /**
   * The second instance, started on first use (the first test starts it while a run is going). It serves only the
   * API: were it to take runs from the queue too, a run it executed would reach its streams without Redis.
   */
  const other = async () => (second ??= await startInstance('api'));

  beforeAll(async () => {
    store = await createTestStore('shared');
    proxy = await startTcpProxy(store.env.REDIS_URL);
    first = await startInstance('all');
  });
  afterAll(async () => {
    // A test that failed with Redis away must not leave the instances closing against a Redis they cannot reach.
    await proxy.restore();
    await second?.close();
    await first.close();
    await proxy.close();
    await store.remove();
  });

  async function startRun(title: string): Promise<string> {
    const started = await first.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: { issue: { title, body: 'Saving a file with a long name fails. Steps: open, rename, save.' } },
    });
    expect(started.status).toBe(202);
    return ((await started.json()) as { workflowId: string }).workflowId;
  }

  /** What the instance that executes the run says of it, once it has finished. */
  async function snapshotOf(
    workflowId: string,
  ): Promise<{ status: string; text: string; lastEventId: number }> {
    return (await (await first.request(`/api/workflows/${workflowId}`)).json()) as {
      status: string;
      text: string;
      lastEventId: number;
    };
  }

  /** Every event once, in order, and the draft exactly the run's text. */
  async function expectWhole(workflowId: string, events: readonly WorkflowEvent[]): Promise<void> {
    const snapshot = await snapshotOf(workflowId);
    expect(snapshot.status).toBe('completed');
    expect(ids(events)).toEqual(Array.from({ length: snapshot.lastEventId }, (_, index) => index + 1));
    expect(textOf([...events])).toBe(snapshot.text);
    expectOneTerminalEventLast([...events]);
  }

  const eventsUrl = (workflowId: string) => `/api/workflows/${workflowId}/events`;
  const delta = (atLeast: number) => (event: WorkflowEvent) =>
    event.type === 'llm_response' && event.id >= atLeast;

  it('streams a run started on one instance whole from another, started while the run was going', async () => {
    const workflowId = await startRun('Streamed from the other instance');
    const watcher = await first.openSse(eventsUrl(workflowId));
    await watcher.waitFor(delta(3));

    // Its start leaves the other instance's run going: it is not a crash's to end.
    const stream = await (await other()).readSse(eventsUrl(workflowId));

    expect(stream.status).toBe(200);
    expect(stream.events[0]).toMatchObject({ id: 1, type: 'status', data: { step: 'queued' } });
    await expectWhole(workflowId, stream.events);
    await watcher.finished;
  }, 60_000);

  it('resumes mid-run on the other instance after the last id seen on the first, with no gap or repeat', async () => {
    const workflowId = await startRun('Resumed on the other instance');
    const before = await first.openSse(eventsUrl(workflowId));
    await before.waitFor(delta(5));
    before.abort();
    await before.finished;
    const lastSeen = before.events.at(-1) as WorkflowEvent;
    expect(lastSeen.type).not.toBe('complete');

    const after = await (
      await other()
    ).readSse(eventsUrl(workflowId), { 'last-event-id': String(lastSeen.id) });

    expect(after.events[0].id).toBe(lastSeen.id + 1);
    await expectWhole(workflowId, [...before.events, ...after.events]);
  }, 60_000);

  it('keeps a stream beating while Redis is away, and completes it from the store once Redis is back', async () => {
    const workflowId = await startRun('Redis away mid-stream');
    const stream: SseSession = await (await other()).openSse(eventsUrl(workflowId));
    await stream.waitFor(delta(5));

    await proxy.cut();
    const heartbeats = stream.comments.length;
    // The run finishes while Redis is away: its end reaches no other instance through it.
    await until(async () => (await snapshotOf(workflowId)).status === 'completed');
    await until(() => stream.comments.length > heartbeats + 2);
    expect(stream.events.at(-1)?.type).not.toBe('complete');
    await proxy.restore();

    expect(await stream.finished).toBe('ended');
    await expectWhole(workflowId, stream.events);
  }, 60_000);
});

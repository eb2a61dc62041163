import type { RunSnapshot, RunStarted } from '@issuecast/workflows-api';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import { startTestApp, type TestApp } from '../test-app';
import { createTestStore, type StoreKind, type TestStore } from './test-store';

const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app with TypeError.' } };

/**
 * A second connection on the app's own store, which makes it refuse events for real (as a full
 * disk would) and reads what it holds.
 */
export interface StoreLever {
  /** From now on every insert of an event fails with "disk full". */
  refuseEvents(): Promise<void> | void;
  acceptEvents(): Promise<void> | void;
  storedIds(workflowId: string): Promise<number[]> | number[];
  close(): Promise<void> | void;
}

/**
 * The mid-run store failure on `kind`'s store, through `openLever`. Each store calls it from a spec
 * file of its own: only the first app a file starts keeps its log lines (test-app.ts).
 */
export function storeFailureSuite(
  kind: StoreKind,
  openLever: (env: Record<string, string>) => Promise<StoreLever> | StoreLever,
): void {
  let store: TestStore;
  let api: TestApp;
  let lever: StoreLever;

  beforeAll(async () => {
    store = await createTestStore(kind);
    // Slow enough that the run is still drafting when the store starts refusing.
    api = await startTestApp({ ...store.env, LOG_LEVEL: 'error', OFFLINE_LLM_DELAY_MS: '50' });
    lever = await openLever(store.env);
  });

  afterAll(async () => {
    await lever.close();
    await api.close();
    await store.remove();
  });

  async function start(): Promise<RunStarted> {
    const started = await api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED });
    return (await started.json()) as RunStarted;
  }

  const idsOf = (events: readonly WorkflowEvent[]) => events.map(({ id }) => id);
  const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

  it('ends the run with store_failed on its stream and snapshot, logs why, and stores no gap once the store recovers', async () => {
    const failing = await start();
    const stream = await api.openSse(failing.eventsUrl);
    await stream.waitFor((event) => event.type === 'llm_response');

    await lever.refuseEvents();
    await stream.finished;

    const end = stream.events.at(-1);
    expect(end).toMatchObject({
      type: 'error',
      data: { code: 'store_failed', retryable: true },
    });
    expect(idsOf(stream.events)).toEqual(oneToN(stream.events.length));
    expect(stream.events.filter((event) => event.type === 'error')).toHaveLength(1);
    const snapshot = (await (
      await api.request(`/api/workflows/${failing.workflowId}`)
    ).json()) as RunSnapshot;
    expect(snapshot).toMatchObject({
      status: 'failed',
      lastEventId: end?.id,
      error: { code: 'store_failed' },
    });
    // A reconnect on this process replays the same end.
    const replay = await api.readSse(failing.eventsUrl);
    expect(replay.events).toEqual(stream.events);
    expect(api.logLines.join('\n')).toMatch(/Storing \d+ events failed: .*disk full/);

    await lever.acceptEvents();
    const next = await start();
    const nextRun = await api.readSse(next.eventsUrl);

    expect(nextRun.events.at(-1)).toMatchObject({ type: 'complete' });
    expect(await lever.storedIds(next.workflowId)).toEqual(oneToN(nextRun.events.length));
    // What the failing run had stored before, and nothing of it after: no gap, no duplicate.
    const stored = await lever.storedIds(failing.workflowId);
    expect(stored).toEqual(oneToN(stored.length));
    expect(stored.length).toBeLessThan(end?.id ?? 0);
  });
}

import type { RunSnapshot, RunStarted } from '@issuecast/workflows-api';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StoredWorkflowEventLog } from '../../src/event-log/stored-workflow-event-log';
import { SQLITE_FILE } from '../../src/store/sqlite/sqlite-run-store';
import { startTestApp, type TestApp } from '../test-app';
import { createTestStore, type TestStore } from './test-store';

const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app with TypeError.' } };

// A file of its own: its app must be the first of the file for its log lines to be kept (test-app.ts).
describe(`${StoredWorkflowEventLog.name} when the store refuses a run's events`, () => {
  let store: TestStore;
  let api: TestApp;
  /** A second connection on the app's own file: it makes the store fail for real, as a full disk would. */
  let db: DatabaseSync;

  beforeAll(async () => {
    store = await createTestStore('embedded');
    // Slow enough that the run is still drafting when the store starts refusing.
    api = await startTestApp({ ...store.env, LOG_LEVEL: 'error', OFFLINE_LLM_DELAY_MS: '50' });
    db = new DatabaseSync(join(store.env['DATA_DIR'], SQLITE_FILE));
  });

  afterAll(async () => {
    db.close();
    await api.close();
    await store.remove();
  });

  async function start(): Promise<RunStarted> {
    const started = await api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED });
    return (await started.json()) as RunStarted;
  }

  function storedIds(workflowId: string): number[] {
    const rows = db.prepare('SELECT id FROM events WHERE workflow_id = ? ORDER BY id').all(workflowId);
    return rows.map(({ id }) => Number(id));
  }

  const idsOf = (events: readonly WorkflowEvent[]) => events.map(({ id }) => id);
  const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

  it('ends the run with store_failed on its stream and snapshot, logs why, and stores no gap once the store recovers', async () => {
    const failing = await start();
    const stream = await api.openSse(failing.eventsUrl);
    await stream.waitFor((event) => event.type === 'llm_response');

    db.exec(
      `CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(FAIL, 'disk full'); END`,
    );
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

    db.exec('DROP TRIGGER refuse_events');
    const next = await start();
    const nextRun = await api.readSse(next.eventsUrl);

    expect(nextRun.events.at(-1)).toMatchObject({ type: 'complete' });
    expect(storedIds(next.workflowId)).toEqual(oneToN(nextRun.events.length));
    // What the failing run had stored before, and nothing of it after: no gap, no duplicate.
    const stored = storedIds(failing.workflowId);
    expect(stored).toEqual(oneToN(stored.length));
    expect(stored.length).toBeLessThan(end?.id ?? 0);
  });
});

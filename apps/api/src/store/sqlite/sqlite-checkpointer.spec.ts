import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { SQLITE_FILE, SqliteRunStore } from './sqlite-run-store';

const WORKFLOW_ID = '7f1c1d3e-6c1b-4f57-9a59-0d6f4f0f5a11';
/** Events of 4 KB: 2 MB in all, about 500 pages, half what would make the connection checkpoint itself. */
const EVENTS = 500;
const EVENT_BYTES = 4_096;

describe(SqliteCheckpointer.name, () => {
  let dataDir: string;
  let store: SqliteRunStore;
  const file = () => join(dataDir, SQLITE_FILE);

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'issuecast-checkpoint-'));
    store = SqliteRunStore.open(dataDir);
    await store.migrate();
    await store.insertRun({
      id: WORKFLOW_ID,
      owner: 'alice',
      source: { kind: 'pasted', issue: { title: 'An issue', body: '' } },
      createdAt: new Date().toISOString(),
      state: 'queued',
      text: '',
      lastEventId: 0,
    });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function appendEvents(): Promise<void> {
    for (let id = 1; id <= EVENTS; id++) {
      const json = JSON.stringify({ id, content: 'x'.repeat(EVENT_BYTES) });
      await store.appendEvents([{ workflowId: WORKFLOW_ID, id, type: 'llm_response', json, timestamp: '' }]);
    }
  }

  it('copies committed events into the database file with no further commit on the store’s connection', async () => {
    await appendEvents();

    // SQLite's own checkpoint would wait for the 1,000th page of a commit; only the thread copies these.
    while (statSync(file()).size < EVENTS * EVENT_BYTES) await sleep(20);

    expect(await store.readEvents(WORKFLOW_ID, 0, EVENTS)).toHaveLength(EVENTS);
  });

  it('closes its connection before the store’s, whose close then checkpoints and removes the log', async () => {
    await appendEvents();

    await store.close();

    expect(existsSync(`${file()}-wal`)).toBe(false);
    const reopened = SqliteRunStore.open(dataDir);
    await expect(reopened.readEvents(WORKFLOW_ID, 0, EVENTS)).resolves.toHaveLength(EVENTS);
    await reopened.close();
  });
});

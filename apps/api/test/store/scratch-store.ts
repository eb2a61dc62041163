import { EventEmitter2 } from '@nestjs/event-emitter';
import { DatabaseSync } from 'node:sqlite';
import { BusLiveFeed } from '../../src/event-log/bus-live-feed';
import { StoredWorkflowEventLog } from '../../src/event-log/stored-workflow-event-log';
import { SqliteRunStore } from '../../src/store/sqlite/sqlite-run-store';
import type { IssueSource } from '../../src/store/run-record';

const PASTED: IssueSource = { kind: 'pasted', issue: { title: 'An issue', body: '' } };

/** A real embedded store that lives in memory only, migrated: one per test. */
export async function openScratchStore(): Promise<SqliteRunStore> {
  const store = new SqliteRunStore(new DatabaseSync(':memory:'));
  await store.migrate();
  return store;
}

/** Stores a queued run of `owner`, so that events can be appended to it. */
export async function insertScratchRun(
  store: SqliteRunStore,
  workflowId: string,
  { owner = 'alice', source = PASTED }: { owner?: string; source?: IssueSource } = {},
): Promise<void> {
  await store.insertRun({
    id: workflowId,
    owner,
    source,
    createdAt: new Date().toISOString(),
    state: 'queued',
    text: '',
    lastEventId: 0,
  });
}

/** A log on a scratch store, with the bus it announces on. */
export async function openScratchLog(): Promise<{
  store: SqliteRunStore;
  bus: EventEmitter2;
  log: StoredWorkflowEventLog;
}> {
  const store = await openScratchStore();
  const bus = new EventEmitter2();
  return { store, bus, log: new StoredWorkflowEventLog(store, new BusLiveFeed(bus)) };
}

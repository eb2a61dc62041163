import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { insertScratchRun, openScratchStore } from '../../test/store/scratch-store';
import { ProcessIdentity } from '../store/process-identity';
import type { SqliteRunStore } from '../store/sqlite/sqlite-run-store';
import { BusLiveFeed } from './bus-live-feed';
import type { LoggedEvent } from './logged-event';
import { StoredWorkflowEventLog } from './stored-workflow-event-log';
import type { UnloggedEvent } from './workflow-event-log';

const FENCED_RUN = '5b0c1d2e-3f40-4a51-8b62-7c83d94ea5f6';
const OTHER_RUN = '6c1d2e3f-4051-4b62-9c73-8d94ea5fb607';

function deltaOf(workflowId: string, content = 'delta'): UnloggedEvent {
  return { workflowId, type: 'llm_response', data: { content }, timestamp: '2024-05-01T12:00:00.000Z' };
}

describe(`${StoredWorkflowEventLog.name}, fenced off by the store`, () => {
  let store: SqliteRunStore;
  let identity: ProcessIdentity;
  let log: StoredWorkflowEventLog;

  beforeEach(async () => {
    store = await openScratchStore();
    identity = new ProcessIdentity();
    log = new StoredWorkflowEventLog(store, new BusLiveFeed(new EventEmitter2()), identity);
    for (const run of [FENCED_RUN, OTHER_RUN]) {
      await insertScratchRun(store, run);
      await store.claimLease(run, identity.id, 60_000, 'nobody');
    }
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await store.close();
  });

  it('stops a run whose lease another process took, storing and announcing nothing more of it, and stores the rest of the batch', async () => {
    const fenced = new AbortController();
    log.openForWriting(FENCED_RUN, 0, fenced);
    log.openForWriting(OTHER_RUN);
    log.append(deltaOf(FENCED_RUN, 'before'));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // A sweeper took the lease over: this process is a stale writer of the run now.
    await store.claimLease(FENCED_RUN, 'sweeper', 60_000, 'anyone');
    const heard: LoggedEvent[] = [];
    log.subscribe(FENCED_RUN, (entry) => heard.push(entry));

    log.append(deltaOf(FENCED_RUN, 'after'));
    log.append(deltaOf(OTHER_RUN));

    await expect(log.closeForWriting(FENCED_RUN)).rejects.toThrow('held by another process');
    await log.closeForWriting(OTHER_RUN);
    expect(fenced.signal.reason).toMatchObject({ code: 'worker_lost' });
    expect(() => log.append(deltaOf(FENCED_RUN))).toThrow('not being written by this process');
    expect(heard).toEqual([]);
    expect((await store.readEvents(FENCED_RUN, 0, 10)).map(({ id }) => id)).toEqual([1]);
    expect((await store.readEvents(OTHER_RUN, 0, 10)).map(({ id }) => id)).toEqual([1]);
  });
});

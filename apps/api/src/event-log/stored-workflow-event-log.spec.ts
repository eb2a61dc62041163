import { Logger } from '@nestjs/common';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { insertScratchRun, openScratchLog } from '../../test/store/scratch-store';
import type { SqliteRunStore } from '../store/sqlite/sqlite-run-store';
import { BusLiveFeed } from './bus-live-feed';
import { type LoggedEvent, toLoggedEvent } from './logged-event';
import { RECENT_RUNS_MS, StoredWorkflowEventLog } from './stored-workflow-event-log';
import { workflowEventChannel } from './workflow-event-channel';
import type { UnloggedEvent } from './workflow-event-log';

const RUN = '8f0e4c52-5f2a-4b7e-9d1c-2a3b4c5d6e7f';
const OTHER_RUN = '1d2c3b4a-0000-4000-8000-000000000001';

function deltaOf(workflowId: string, content = 'delta'): UnloggedEvent {
  return { workflowId, type: 'llm_response', data: { content }, timestamp: '2024-05-01T12:00:00.000Z' };
}

function idsOf(entries: readonly LoggedEvent[]): number[] {
  return entries.map((entry) => entry.event.id);
}

describe(StoredWorkflowEventLog.name, () => {
  let store: SqliteRunStore;
  let bus: EventEmitter2;
  let log: StoredWorkflowEventLog;

  beforeEach(async () => {
    ({ store, bus, log } = await openScratchLog());
    await insertScratchRun(store, RUN);
    await insertScratchRun(store, OTHER_RUN);
  });

  afterEach(() => store.close());

  /** Appends `count` events to a run this process writes. */
  function fill(workflowId: string, count: number): LoggedEvent[] {
    return Array.from({ length: count }, (_, index) => log.append(deltaOf(workflowId, `delta ${index + 1}`)));
  }

  /** Lets the commit of what was appended so far happen. */
  const committed = () => new Promise((resolve) => setImmediate(resolve));

  it('numbers each run’s events 1, 2, 3 … whatever other runs append in between', () => {
    log.openForWriting(RUN);
    log.openForWriting(OTHER_RUN);

    const ids = [RUN, OTHER_RUN, RUN, RUN, OTHER_RUN].map((run) => log.append(deltaOf(run)).event.id);

    expect(ids).toEqual([1, 1, 2, 3, 2]);
  });

  it('answers the entry at once, framed as its SSE message, and knows it as the last written', () => {
    log.openForWriting(RUN);

    const entry = log.append(deltaOf(RUN, 'hello'));

    expect(entry).toEqual(toLoggedEvent({ id: 1, ...deltaOf(RUN, 'hello') }));
    expect(log.lastWritten(RUN)).toBe(entry);
  });

  it('refuses to append to a run this process does not write, or to open one twice', () => {
    expect(() => log.append(deltaOf(RUN))).toThrow(`Workflow ${RUN} is not being written by this process`);
    log.openForWriting(RUN);
    expect(() => log.openForWriting(RUN)).toThrow(`Workflow ${RUN} is being written already`);
  });

  it('announces an event only once the store has it, the bytes the store keeps framed once', async () => {
    log.openForWriting(RUN);
    const storedWhenHeard: number[] = [];
    log.subscribe(RUN, (entry) => {
      // The store is synchronous underneath: what it holds when the listener runs is what it committed.
      void store.readEvents(RUN, 0, 100).then((stored) => storedWhenHeard.push(stored.length));
      expect(entry.frame.toString()).toContain(`data: ${JSON.stringify(entry.event)}\n\n`);
    });

    const entries = fill(RUN, 3);
    expect(await log.last(RUN)).toBeUndefined();
    await committed();
    await committed();

    expect(storedWhenHeard).toEqual([3, 3, 3]);
    expect(await log.readAfter(RUN, 0)).toEqual(entries);
    expect((await store.readEvents(RUN, 0, 100)).map((event) => event.json)).toEqual(
      entries.map(({ event }) => JSON.stringify(event)),
    );
  });

  it('stores the events appended in one turn in one transaction', async () => {
    log.openForWriting(RUN);
    log.openForWriting(OTHER_RUN);
    const batches: number[] = [];
    const append = store.appendEvents.bind(store);
    jest.spyOn(store, 'appendEvents').mockImplementation((events) => {
      batches.push(events.length);
      return append(events);
    });

    fill(RUN, 3);
    fill(OTHER_RUN, 2);
    await log.closeForWriting(RUN);
    fill(OTHER_RUN, 1);
    await log.closeForWriting(OTHER_RUN);

    expect(batches).toEqual([5, 1]);
  });

  it("announces each stored event to the run's listeners, in order, and not another run's", async () => {
    log.openForWriting(RUN);
    log.openForWriting(OTHER_RUN);
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, (entry) => heard.push(entry));

    const mine = [log.append(deltaOf(RUN)), log.append(deltaOf(RUN))];
    log.append(deltaOf(OTHER_RUN));
    await log.closeForWriting(RUN);

    expect(heard).toEqual(mine);
  });

  it('stops announcing to a listener once the returned function is called, removing its bus listener', async () => {
    log.openForWriting(RUN);
    const heard: LoggedEvent[] = [];
    const stop = log.subscribe(RUN, (entry) => heard.push(entry));
    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(1);

    stop();
    log.append(deltaOf(RUN));
    await log.closeForWriting(RUN);

    expect(heard).toEqual([]);
    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(0);
  });

  it.each([0, 1, 2, 4, 5, 9])(
    'reads exactly the stored events after id %i, live or closed',
    async (afterId) => {
      log.openForWriting(RUN);
      fill(RUN, 5);
      await committed();
      const expected = Array.from({ length: Math.max(0, 5 - afterId) }, (_, index) => afterId + 1 + index);

      expect(idsOf(await log.readAfter(RUN, afterId))).toEqual(expected);
      await log.closeForWriting(RUN);
      expect(idsOf(await log.readAfter(RUN, afterId))).toEqual(expected);
    },
  );

  it('reads a long run from the store a page at a time, the frames as first sent', async () => {
    log.openForWriting(RUN);
    const entries = fill(RUN, 2_500);
    await log.closeForWriting(RUN);
    // A process that did not write the run, as after a restart, has it from the store only.
    const reader = new StoredWorkflowEventLog(store, new BusLiveFeed(bus));

    const first = await reader.readAfter(RUN, 0);
    expect(first).toHaveLength(1_000);
    expect(await reader.readAfter(RUN, 2_000)).toEqual(entries.slice(2_000));
    expect(first.map(({ frame }) => frame.toString())).toEqual(
      entries.slice(0, 1_000).map(({ frame }) => frame.toString()),
    );
    expect((await reader.last(RUN))?.event.id).toBe(2_500);
  });

  it('keeps a finished run in memory for the streams catching up, then reads it from the store a page at a time', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      log.openForWriting(RUN);
      fill(RUN, 1_500);
      await log.closeForWriting(RUN);
      expect(await log.readAfter(RUN, 0)).toHaveLength(1_500);

      jest.advanceTimersByTime(RECENT_RUNS_MS);

      expect(await log.readAfter(RUN, 0)).toHaveLength(1_000);
    } finally {
      jest.useRealTimers();
    }
  });

  it('continues a run stored before from the id after its last, reading the earlier events from the store', async () => {
    log.openForWriting(RUN);
    fill(RUN, 3);
    await log.closeForWriting(RUN);
    const restarted = new StoredWorkflowEventLog(store, new BusLiveFeed(bus));

    restarted.openForWriting(RUN, 3);
    expect(await restarted.last(RUN)).toEqual((await log.readAfter(RUN, 2))[0]);
    const next = restarted.append(deltaOf(RUN));
    await restarted.closeForWriting(RUN);

    expect(next.event.id).toBe(4);
    expect(idsOf(await restarted.readAfter(RUN, 0))).toEqual([1, 2, 3, 4]);
  });

  it('has no events of an unknown run', async () => {
    expect(await log.last('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await log.readAfter('00000000-0000-4000-8000-000000000000', 0)).toEqual([]);
  });

  it('ends a run whose events could not be stored itself: one store_failed error announced, the run aborted, nothing more appended', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const run = new AbortController();
    log.openForWriting(RUN, 0, run);
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, (entry) => heard.push(entry));

    fill(RUN, 2);
    // A store that fails for real: its database is gone before the commit.
    await store.close();
    await committed();
    await committed();

    // Nothing of the run was announced before: its end takes the first id.
    expect(heard.map(({ event }) => event)).toEqual([
      expect.objectContaining({
        id: 1,
        type: 'error',
        data: expect.objectContaining({ code: 'store_failed', retryable: true }),
      }),
    ]);
    expect(run.signal.reason).toMatchObject({ code: 'store_failed' });
    expect(() => log.append(deltaOf(RUN))).toThrow('database is not open');
    // The end could not be stored either: closing says so, and the streams of this process still read it.
    await expect(log.closeForWriting(RUN)).rejects.toThrow('database is not open');
    expect(await log.readAfter(RUN, 0)).toEqual(heard);
    jest.restoreAllMocks();
  });
});

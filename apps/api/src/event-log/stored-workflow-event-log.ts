import { Injectable, Logger, Optional } from '@nestjs/common';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import { RunFailure } from '../run-failure/run-failure';
import { workerLost } from '../run-failure/worker-lost';
import { ProcessIdentity } from '../store/process-identity';
import { LeaseLost } from '../store/run-lease';
import type { StoredEvent } from '../store/run-record';
import { RunStore } from '../store/run-store';
import { LiveFeed } from './live-feed';
import { fromStoredEvent, type LoggedEvent, toLoggedEvent } from './logged-event';
import { type LoggedEventListener, type UnloggedEvent, WorkflowEventLog } from './workflow-event-log';

/** The most events one read from the store answers; a stream reads on until it has caught up. */
const READ_PAGE_SIZE = 1_000;

/**
 * Bytes of frames of recently finished runs kept in memory, so that the streams still catching up
 * when a run ends share its frames instead of each reading and decoding them from the store.
 */
const RECENT_RUNS_BYTES = 16 * 1024 * 1024;

/**
 * How long a finished run's frames stay in memory at most: long enough for the streams catching up
 * as it ends; after that the run is read from the store, and retention frees its memory with it.
 */
export const RECENT_RUNS_MS = 10_000;

/** The abort reason of a run whose events the store refused. */
function storeFailed(): RunFailure {
  return new RunFailure(
    'store_failed',
    'The server could not save the run, so it stopped it; start it again.',
    true,
  );
}

/** What the log holds of a run this process writes. */
interface Writer {
  readonly workflowId: string;
  lastId: number;
  last?: LoggedEvent;
  /** Events up to this id were stored before this process wrote the run. */
  readonly storedBefore: number;
  /** The events stored since: the streams of a live run read them from memory. */
  readonly stored: LoggedEvent[];
  /** The bytes of their frames. */
  bytes: number;
  /** Why storing one of the run's events failed; nothing more is appended to it then. */
  failure?: Error;
  /** Whether the log's own `store_failed` event could not be stored either. */
  endLost?: boolean;
  /** Whether the store fenced this process off: another process holds the run's lease and ends it. */
  fenced?: boolean;
  /** Stops the run that appends to it. */
  readonly run?: AbortController;
}

interface Appended {
  writer: Writer;
  entry: LoggedEvent;
  stored: StoredEvent;
}

/**
 * The log on the `RunStore`, announced on the `LiveFeed`: in this process, or in every process.
 * Group commit: the events appended while the previous commit was on its way, or in the same turn
 * of the event loop, are stored in one transaction, then announced in order. The events of a live
 * run stay in memory for its streams, and those of recently finished runs within a bound of bytes
 * and time; older runs are read from the store.
 */
@Injectable()
export class StoredWorkflowEventLog extends WorkflowEventLog {
  private static readonly logger = new Logger(StoredWorkflowEventLog.name);

  private readonly writers = new Map<string, Writer>();
  /** Runs this process wrote that have finished, oldest first, within `RECENT_RUNS_BYTES`. */
  private readonly recent = new Map<string, Writer>();
  private recentBytes = 0;
  private batch: Appended[] = [];
  private commitScheduled = false;
  /** The commits, one after the other: awaiting it waits for everything appended so far. */
  private committed = Promise.resolve();

  /** `identity`: the writer the store checks each run's lease against; without it, none is checked. */
  constructor(
    private readonly store: RunStore,
    private readonly feed: LiveFeed,
    @Optional() private readonly identity?: ProcessIdentity,
  ) {
    super();
  }

  openForWriting(workflowId: string, lastId = 0, run?: AbortController): void {
    if (this.writers.has(workflowId)) throw new Error(`Workflow ${workflowId} is being written already`);
    this.writers.set(workflowId, { workflowId, lastId, storedBefore: lastId, stored: [], bytes: 0, run });
    this.feed.startWriting(workflowId);
  }

  lastWritten(workflowId: string): LoggedEvent | undefined {
    return this.writers.get(workflowId)?.last;
  }

  append(unlogged: UnloggedEvent): LoggedEvent {
    const writer = this.writerOf(unlogged.workflowId);
    if (writer.failure) throw writer.failure;
    const appended = this.numbered(writer, { id: writer.lastId + 1, ...unlogged });
    this.batch.push(appended);
    this.scheduleCommit();
    return appended.entry;
  }

  async closeForWriting(workflowId: string): Promise<void> {
    const writer = this.writerOf(workflowId);
    await this.committed;
    this.writers.delete(workflowId);
    this.feed.stopWriting(workflowId);
    // Kept either way: a run the store failed has its `store_failed` end only here, maybe.
    this.remember(workflowId, writer);
    if ((writer.endLost || writer.fenced) && writer.failure) throw writer.failure;
  }

  async readAfter(workflowId: string, afterId: number): Promise<readonly LoggedEvent[]> {
    const writer = this.inMemory(workflowId);
    if (writer && afterId >= writer.storedBefore) return writer.stored.slice(afterId - writer.storedBefore);
    const heard = this.feed.heardAfter(workflowId, afterId);
    if (heard) return heard;
    return (await this.store.readEvents(workflowId, afterId, READ_PAGE_SIZE)).map(fromStoredEvent);
  }

  async last(workflowId: string): Promise<LoggedEvent | undefined> {
    const writer = this.inMemory(workflowId);
    const cached = writer?.stored.at(-1);
    if (cached || writer?.storedBefore === 0) return cached;
    const stored = await this.store.lastEvent(workflowId);
    return stored && fromStoredEvent(stored);
  }

  subscribe(workflowId: string, listener: LoggedEventListener): () => void {
    return this.feed.listen(workflowId, listener);
  }

  private scheduleCommit(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    const previous = this.committed;
    // The rest of this turn's events join the batch; a commit on its way is waited for.
    this.committed = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => previous)
      .then(() => this.commit());
  }

  private async commit(): Promise<void> {
    this.commitScheduled = false;
    // Events appended while a failing commit of their run was on its way would leave a gap.
    let batch = this.batch.filter(({ writer }) => !writer.failure);
    this.batch = [];
    while (batch.length > 0) {
      try {
        await this.store.appendEvents(
          batch.map(({ stored }) => stored),
          this.identity?.id,
        );
      } catch (error) {
        if (error instanceof LeaseLost) {
          // The other runs of the batch are this process's still: they are stored without these.
          const lost = new Set(error.workflowIds);
          for (const writer of new Set(batch.map(({ writer }) => writer))) {
            if (lost.has(writer.workflowId)) this.fence(writer, error);
          }
          batch = batch.filter(({ writer }) => !writer.fenced);
          continue;
        }
        StoredWorkflowEventLog.logger.error(`Storing ${batch.length} events failed: ${String(error)}`);
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const writer of new Set(batch.map(({ writer }) => writer)))
          await this.endFailed(writer, failure);
        return;
      }
      this.announceByRun(batch);
      return;
    }
  }

  /** Each run's events of a commit, announced together. */
  private announceByRun(batch: readonly Appended[]): void {
    const byRun = new Map<Writer, LoggedEvent[]>();
    for (const { writer, entry } of batch) {
      const entries = byRun.get(writer);
      if (entries) entries.push(entry);
      else byRun.set(writer, [entry]);
    }
    for (const [writer, entries] of byRun) this.announce(writer, entries);
  }

  /** Stops a run another process holds the lease of; nothing more of it is written or announced here. */
  private fence(writer: Writer, lost: LeaseLost): void {
    StoredWorkflowEventLog.logger.warn(
      `Workflow ${writer.workflowId} is held by another process now: this one stopped writing it`,
    );
    writer.failure = lost;
    writer.fenced = true;
    writer.run?.abort(workerLost());
  }

  /**
   * Ends a run whose events could not be stored with one `store_failed` error after its last
   * announced event, and stops it: the event is stored alone if the store takes it, and announced
   * (and kept in memory) either way, so that its streams end and its snapshot says it failed.
   */
  private async endFailed(writer: Writer, failure: Error): Promise<void> {
    writer.failure = failure;
    const stop = storeFailed();
    writer.run?.abort(stop);
    const { workflowId } = writer;
    const { entry, stored } = this.numbered(writer, {
      id: writer.storedBefore + writer.stored.length + 1,
      workflowId,
      type: 'error',
      data: { content: stop.message, code: stop.code, retryable: stop.retryable },
      timestamp: new Date().toISOString(),
    });
    try {
      await this.store.appendEvents([stored]);
    } catch (error) {
      writer.endLost = true;
      StoredWorkflowEventLog.logger.error(
        `Storing the store_failed end of ${workflowId} failed: ${String(error)}`,
      );
    }
    this.announce(writer, [entry]);
  }

  /** The run's next event, serialized once, as the log keeps it and as the store does. */
  private numbered(writer: Writer, event: WorkflowEvent): Appended {
    const json = JSON.stringify(event);
    const entry = toLoggedEvent(event, json);
    writer.lastId = event.id;
    writer.last = entry;
    const { workflowId, id, type, timestamp } = event;
    return { writer, entry, stored: { workflowId, id, type, json, timestamp } };
  }

  /** One run's events of a commit, kept for its streams and announced together. */
  private announce(writer: Writer, entries: LoggedEvent[]): void {
    for (const entry of entries) {
      writer.stored.push(entry);
      writer.bytes += entry.frame.length;
    }
    this.feed.announce(writer.workflowId, entries);
  }

  private inMemory(workflowId: string): Writer | undefined {
    return this.writers.get(workflowId) ?? this.recent.get(workflowId);
  }

  private remember(workflowId: string, writer: Writer): void {
    this.recent.set(workflowId, writer);
    this.recentBytes += writer.bytes;
    setTimeout(() => this.forget(workflowId, writer), RECENT_RUNS_MS).unref();
    for (const [oldest, recent] of this.recent) {
      if (this.recentBytes <= RECENT_RUNS_BYTES) break;
      this.forget(oldest, recent);
    }
  }

  private forget(workflowId: string, writer: Writer): void {
    if (this.recent.get(workflowId) !== writer) return;
    this.recent.delete(workflowId);
    this.recentBytes -= writer.bytes;
  }

  private writerOf(workflowId: string): Writer {
    const writer = this.writers.get(workflowId);
    if (!writer) throw new Error(`Workflow ${workflowId} is not being written by this process`);
    return writer;
  }
}

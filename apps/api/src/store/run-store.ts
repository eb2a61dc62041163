import type { LeaseClaim } from './run-lease';
import type { RunChanges, RunList, RunQuery, RunRecord, StoredEvent } from './run-record';

/**
 * Where runs and their events are kept for good, with the revoked sign-ins: the embedded SQLite store by default, PostgreSQL
 * with `DATABASE_URL`. Both pass the same contract suite (`test/store/run-store-contract.ts`).
 */
export abstract class RunStore {
  /** Brings the schema up to date; safe to call again, and from two processes at once. */
  abstract migrate(): Promise<void>;

  /**
   * Stores a new run, unless `maxUnfinishedOfOwner` is given and its owner has that many runs not
   * finished; answers whether it stored it. The count and the insert are one transaction,
   * serialized per owner, so that starts racing each other on any instance cannot overshoot.
   */
  abstract insertRun(run: RunRecord, options?: { maxUnfinishedOfOwner?: number }): Promise<boolean>;

  /**
   * Changes a stored run; a run that is not stored (deleted) is left alone, and so is one whose
   * lease another process holds when `writer` is given.
   */
  abstract updateRun(id: string, changes: RunChanges, writer?: string): Promise<void>;

  /** Deletes a run and its events, for good. */
  abstract deleteRun(id: string): Promise<void>;

  /**
   * Makes `owner` the holder of an unfinished run's lease for `leaseMs`, if the lease may be taken
   * from whoever holds it (`from`); answers whether it did. One conditional statement: of two
   * processes claiming at once, one wins.
   */
  abstract claimLease(id: string, owner: string, leaseMs: number, from: LeaseClaim): Promise<boolean>;

  /** Extends `owner`'s lease of an unfinished run by `leaseMs` from now; false once it is not `owner`'s. */
  abstract renewLease(id: string, owner: string, leaseMs: number): Promise<boolean>;

  /** Unfinished runs whose lease has lapsed, oldest first, but those of `owner` (alive, since it asks). */
  abstract expiredLeases(owner: string): Promise<string[]>;

  abstract findRun(id: string): Promise<RunRecord | undefined>;

  /** The runs of `query.owner` that match, newest first, and how many match in all. */
  abstract listRuns(query: RunQuery): Promise<RunList>;

  /**
   * For each first run of `rootIds`, it and its other takes, oldest first: the ids of those still
   * stored (none for a root that is gone). One query however many roots: a page of the runs list.
   */
  abstract takesOf(rootIds: readonly string[]): Promise<Map<string, string[]>>;

  /**
   * Stores the user's edit of a finished run's draft, unless it has none or a post of it was
   * attempted; answers whether it stored it. One statement, so that it cannot race a post's claim.
   */
  abstract saveEditedDraft(id: string, draft: string): Promise<boolean>;

  /** Runs not finished, oldest first: after a restart, the ones that were cut off. */
  abstract unfinishedRuns(): Promise<RunRecord[]>;

  /**
   * Claims the post of the run's comment from `at` until `until` (ISO 8601), unless it is posted
   * or another claim holds at `at`; the first claim also records `at` as the first attempt, which
   * stays. Answers whether this call claimed it. One statement: of two at once, one claims it.
   * A claim ends when `postingClaimedUntil` is cleared, or when its time has passed.
   */
  abstract claimPosting(id: string, at: string, until: string): Promise<boolean>;

  /**
   * Deletes up to `limit` events of runs that finished before `cutoff`, for good, leaving the runs;
   * answers how many it deleted. Retention clears a run's events this way in small batches first,
   * so that no one statement holds the embedded store (and the event loop) for long.
   */
  abstract deleteEventsOfRunsFinishedBefore(cutoff: string, limit: number): Promise<number>;

  /**
   * Deletes up to `limit` runs that finished before `cutoff`, with their events, for good;
   * answers how many it deleted.
   */
  abstract deleteRunsFinishedBefore(cutoff: string, limit: number): Promise<number>;

  /**
   * Stores the events in one transaction: all or none. An event whose run already has its id is
   * refused (and so is the whole batch), so that two writers of one run can never interleave.
   * With `writer`, events of a run whose lease another process holds refuse the batch too, with a
   * `LeaseLost` naming those runs: a writer that lost its lease is fenced off.
   */
  abstract appendEvents(events: readonly StoredEvent[], writer?: string): Promise<void>;

  /** Up to `limit` events of the run with ids above `afterId`, in id order. */
  abstract readEvents(workflowId: string, afterId: number, limit: number): Promise<StoredEvent[]>;

  abstract lastEvent(workflowId: string): Promise<StoredEvent | undefined>;

  /**
   * Records that a sign-in's token is revoked until it would have expired (ISO 8601), and forgets
   * revocations of tokens that have expired since.
   */
  abstract revokeSession(sessionId: string, until: string): Promise<void>;

  abstract isSessionRevoked(sessionId: string): Promise<boolean>;

  /** A trivial query, answered once the store can be reached: the readiness check's. */
  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}

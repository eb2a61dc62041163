import type { LoggedEvent } from './logged-event';
import type { LoggedEventListener } from './workflow-event-log';

/**
 * How a run's stored events reach whoever follows the run while it is live: in this process only,
 * or in every process of the shared mode. The log is its one publisher, and tells it which runs
 * this process writes: their events reach this process's listeners without leaving it.
 */
export abstract class LiveFeed {
  /** This process writes the run from now on, until `stopWriting`. */
  abstract startWriting(workflowId: string): void;

  abstract stopWriting(workflowId: string): void;

  /** Tells the run's listeners of events just stored, in id order: in this process, and in the others. */
  abstract announce(workflowId: string, entries: readonly LoggedEvent[]): void;

  /**
   * Calls `listener` with every event of the run announced from now on, by any process; returns the
   * way to stop. An event may come twice, or a wake-up with an event stored earlier: a listener of a
   * run this process does not write goes by ids, and catches up from the log on a gap.
   */
  abstract listen(workflowId: string, listener: LoggedEventListener): () => void;

  /**
   * The events after `afterId` of a run another process writes, from what this process heard of it
   * while it was followed here, when it holds all of them up to the latest it heard of; otherwise
   * undefined, and the log reads the store.
   */
  abstract heardAfter(workflowId: string, afterId: number): readonly LoggedEvent[] | undefined;
}

import type { LoggedEvent } from './logged-event';

/** Called with each event appended to a run's log. */
export type LoggedEventListener = (entry: LoggedEvent) => void;

/**
 * Where the events of each run are kept, in id order, and where live ones are announced.
 * The in-memory log serves one process; a shared log (Redis Streams, say) can take its place
 * without the workflow or the controllers knowing.
 */
export abstract class WorkflowEventLog {
  /** Opens an empty log for a new run of `owner`. */
  abstract create(workflowId: string, owner: string): void;

  /** Whether the run is known (created and not yet deleted). */
  abstract has(workflowId: string): boolean;

  /** The user who started the run, if the run is known. */
  abstract ownerOf(workflowId: string): string | undefined;

  /** The last event of the run, if it has any. */
  abstract last(workflowId: string): LoggedEvent | undefined;

  /** Appends the run's next event; its id follows the last one's. */
  abstract append(entry: LoggedEvent): void;

  /** The run's events with ids above `afterId`, in order. */
  abstract readAfter(workflowId: string, afterId: number): readonly LoggedEvent[];

  /** Calls `listener` with every event appended to the run from now on; returns the way to stop. */
  abstract subscribe(workflowId: string, listener: LoggedEventListener): () => void;

  /** Forgets the run: its events and its listeners. */
  abstract delete(workflowId: string): void;
}

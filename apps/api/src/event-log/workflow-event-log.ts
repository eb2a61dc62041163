import type { WorkflowEvent } from '@issuecast/workflow-events';
import type { LoggedEvent } from './logged-event';

/** An event before the log has given it its id. */
export type UnloggedEvent<E extends WorkflowEvent = WorkflowEvent> = E extends WorkflowEvent
  ? Omit<E, 'id'>
  : never;

/** Called with each event appended to a run's log. */
export type LoggedEventListener = (entry: LoggedEvent) => void;

/**
 * Where the events of each run are kept, in id order, and where live ones are announced. Appending
 * is the one step that numbers an event and announces it, so that a shared log (PostgreSQL, Redis)
 * can do both atomically; the workflow and the streams depend on this interface only.
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

  /**
   * Gives the event the run's next id (1, 2, 3 …), keeps it, then announces it to the run's
   * listeners; answers the entry as it was logged.
   */
  abstract append(event: UnloggedEvent): LoggedEvent;

  /** The run's events with ids above `afterId`, in order. */
  abstract readAfter(workflowId: string, afterId: number): readonly LoggedEvent[];

  /** Calls `listener` with every event appended to the run from now on; returns the way to stop. */
  abstract subscribe(workflowId: string, listener: LoggedEventListener): () => void;

  /** Forgets the run: its events and its listeners. */
  abstract delete(workflowId: string): void;
}

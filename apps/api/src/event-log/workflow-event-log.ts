import type { WorkflowEvent } from '@issuecast/workflow-events';
import type { LoggedEvent } from './logged-event';

/** An event before the log has given it its id. */
export type UnloggedEvent<E extends WorkflowEvent = WorkflowEvent> = E extends WorkflowEvent
  ? Omit<E, 'id'>
  : never;

/** Called with each event of a run once it is stored. */
export type LoggedEventListener = (entry: LoggedEvent) => void;

/**
 * Where the events of each run are kept, in id order, and where they are announced once stored.
 * The process that executes a run is its one writer: it numbers the run's events as it appends
 * them, and nobody hears of an event before the store has it. Reads are asynchronous, so that the
 * log can sit on a store shared by several processes; the workflow and the streams depend on
 * this interface only.
 */
export abstract class WorkflowEventLog {
  /**
   * Makes this process the writer of a run's log; its next event gets the id after `lastId`. Should
   * the store refuse the run's events, the log ends the run itself with a `store_failed` error and
   * aborts `run` with that failure.
   */
  abstract openForWriting(workflowId: string, lastId?: number, run?: AbortController): void;

  /** The last event this process appended to a run it writes, stored or not yet. */
  abstract lastWritten(workflowId: string): LoggedEvent | undefined;

  /**
   * Gives the event the run's next id and answers it at once; the event is stored with the others
   * appended meanwhile, in one transaction, and announced to the run's listeners after that.
   */
  abstract append(event: UnloggedEvent): LoggedEvent;

  /** Waits until everything appended to the run is stored and announced, then stops writing it. */
  abstract closeForWriting(workflowId: string): Promise<void>;

  /** Stored events of the run with ids above `afterId`, in order: all of them, or the next page. */
  abstract readAfter(workflowId: string, afterId: number): Promise<readonly LoggedEvent[]>;

  /** The run's last stored event, if it has any. */
  abstract last(workflowId: string): Promise<LoggedEvent | undefined>;

  /**
   * Calls `listener` with every event of the run stored from now on, by whichever process writes it;
   * returns the way to stop. Of a run this process does not write, an event may come twice or ahead
   * of one missed (it was published while Redis was away): the listener goes by ids and reads the gap.
   */
  abstract subscribe(workflowId: string, listener: LoggedEventListener): () => void;
}

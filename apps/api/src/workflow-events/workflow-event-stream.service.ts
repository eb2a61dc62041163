import { Injectable } from '@nestjs/common';
import { isTerminalEvent } from '@issuecast/workflow-events';
import { Observable } from 'rxjs';
import type { LoggedEvent } from './logged-event';
import { WorkflowEventLog } from './workflow-event-log';

/**
 * The bridge from the event bus to RxJS: a run's events as an Observable, replayed from the log
 * and then followed live, each exactly once and in id order, completing after the terminal event.
 */
@Injectable()
export class WorkflowEventStream {
  constructor(private readonly log: WorkflowEventLog) {}

  /** The run's events with ids above `afterId`. Unsubscribing removes the bus listener. */
  follow(workflowId: string, afterId: number): Observable<LoggedEvent> {
    return new Observable<LoggedEvent>((subscriber) => {
      let lastId = afterId;
      const deliver = (entry: LoggedEvent) => {
        if (entry.event.id <= lastId || subscriber.closed) return;
        lastId = entry.event.id;
        subscriber.next(entry);
        if (isTerminalEvent(entry.event)) subscriber.complete();
      };
      // Listening before reading leaves no gap between the replay and the live events;
      // `deliver` drops whatever arrives twice at the seam.
      const stopListening = this.log.subscribe(workflowId, deliver);
      for (const entry of this.log.readAfter(workflowId, afterId)) deliver(entry);
      return stopListening;
    });
  }
}

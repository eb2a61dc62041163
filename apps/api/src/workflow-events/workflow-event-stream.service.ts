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
      let delivering = false;
      let behind = false;
      // The log, not the order in which the bus calls back, decides what comes next: an event
      // emitted while another is being delivered (by this subscriber or another listener) only
      // marks the stream as behind, and the loop reads it from the log in its turn.
      const catchUp = () => {
        behind = true;
        if (delivering) return;
        delivering = true;
        try {
          while (behind && !subscriber.closed) {
            behind = false;
            for (const entry of this.log.readAfter(workflowId, lastId)) {
              if (subscriber.closed) break;
              lastId = entry.event.id;
              subscriber.next(entry);
              if (isTerminalEvent(entry.event)) subscriber.complete();
            }
          }
        } finally {
          delivering = false;
        }
      };
      // Listening before reading leaves no gap between the replay and the live events; added to the
      // subscriber at once, the listener is removed even if the replay throws (an unknown run).
      subscriber.add(this.log.subscribe(workflowId, catchUp));
      catchUp();
    });
  }
}

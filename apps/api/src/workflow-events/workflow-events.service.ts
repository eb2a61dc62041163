import { BeforeApplicationShutdown, Injectable, type MessageEvent, NotFoundException } from '@nestjs/common';
import { isTerminalEvent } from '@issuecast/workflow-events';
import { Observable, Subject, takeUntil, timer } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { WorkflowEventLog } from './workflow-event-log';
import { WorkflowEventStream } from './workflow-event-stream.service';

/** A comment line: clients ignore it, proxies and the client's watchdog see the stream is alive. */
const HEARTBEAT: MessageEvent = { comment: '' };

/** What `open` found: the stream to send, or that nothing will ever come. */
export type EventStreamOpening =
  { kind: 'stream'; messages: Observable<MessageEvent> } | { kind: 'finished' };

/** The SSE side of a run's events: retry hint, replay and live events, heartbeats, time limits. */
@Injectable()
export class WorkflowEventsService implements BeforeApplicationShutdown {
  private readonly shuttingDown$ = new Subject<void>();

  constructor(
    private readonly log: WorkflowEventLog,
    private readonly stream: WorkflowEventStream,
    private readonly config: AppConfig,
  ) {}

  /**
   * Opens the stream of a run's events after `afterId`. Throws `NotFoundException` for an
   * unknown run; answers `finished` when the client already has the run's terminal event.
   */
  open(workflowId: string, afterId: number): EventStreamOpening {
    if (!this.log.has(workflowId)) throw new NotFoundException(`Workflow ${workflowId} was not found`);
    const last = this.log.last(workflowId)?.event;
    if (last && isTerminalEvent(last) && afterId >= last.id) return { kind: 'finished' };
    return { kind: 'stream', messages: this.messages(workflowId, afterId) };
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown$.next();
  }

  private messages(workflowId: string, afterId: number): Observable<MessageEvent> {
    const { sseRetryMs, sseHeartbeatMs, sseMaxConnectionMs } = this.config;
    return new Observable<MessageEvent>((subscriber) => {
      // Nest numbers messages without an id; this one restates the client's own position.
      subscriber.next({ id: String(afterId), retry: sseRetryMs });
      const events = this.stream.follow(workflowId, afterId).subscribe({
        next: (entry) => subscriber.next(entry.message),
        complete: () => subscriber.complete(),
      });
      const heartbeats = setInterval(() => subscriber.next(HEARTBEAT), sseHeartbeatMs);
      return () => {
        events.unsubscribe();
        clearInterval(heartbeats);
      };
    }).pipe(takeUntil(this.shuttingDown$), takeUntil(timer(sseMaxConnectionMs)));
  }
}

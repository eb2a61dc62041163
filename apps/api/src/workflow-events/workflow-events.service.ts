import { BeforeApplicationShutdown, Injectable, type MessageEvent, NotFoundException } from '@nestjs/common';
import { isTerminalEvent } from '@issuecast/workflow-events';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Observable, Subject, takeUntil, timer } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { WorkflowEventLog } from './workflow-event-log';
import { WorkflowEventStream } from './workflow-event-stream.service';

/** A comment line: clients ignore it, proxies and the client's watchdog see the stream is alive. */
const HEARTBEAT: MessageEvent = { comment: '' };

/** How long shutdown waits for ended streams to flush before the server closes their sockets. */
const SHUTDOWN_FLUSH_MS = 3_000;

/** What `open` found: the stream to send, or that nothing will ever come. */
export type EventStreamOpening =
  { kind: 'stream'; messages: Observable<MessageEvent> } | { kind: 'finished' };

/** The SSE side of a run's events: retry hint, replay and live events, heartbeats, time limits. */
@Injectable()
export class WorkflowEventsService implements BeforeApplicationShutdown {
  private readonly shuttingDown$ = new Subject<void>();
  private readonly openResponses = new Set<ServerResponse>();

  constructor(
    private readonly log: WorkflowEventLog,
    private readonly stream: WorkflowEventStream,
    private readonly config: AppConfig,
  ) {}

  /**
   * Opens the stream of a run's events after `afterId`. Throws `NotFoundException` for an
   * unknown run; answers `finished` when the client already has the run's terminal event.
   */
  open(workflowId: string, afterId: number, response: ServerResponse): EventStreamOpening {
    if (!this.log.has(workflowId)) throw new NotFoundException(`Workflow ${workflowId} was not found`);
    const last = this.log.last(workflowId)?.event;
    if (last && isTerminalEvent(last) && afterId >= last.id) return { kind: 'finished' };
    this.openResponses.add(response);
    response.once('close', () => this.openResponses.delete(response));
    return { kind: 'stream', messages: this.messages(workflowId, afterId) };
  }

  /** Ends every open stream and lets the responses flush, so clients see a clean end and resume. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown$.next();
    const flushed = [...this.openResponses].map((response) => once(response, 'close'));
    const deadline = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref());
    await Promise.race([Promise.all(flushed), deadline]);
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

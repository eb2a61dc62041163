import {
  BeforeApplicationShutdown,
  HttpException,
  HttpStatus,
  Injectable,
  type MessageEvent,
  NotFoundException,
} from '@nestjs/common';
import { isTerminalEvent } from '@issuecast/workflow-events';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Observable, Subject, takeUntil, timer } from 'rxjs';
import type { SignedInUser } from '../auth/signed-in-user';
import { AppConfig } from '../config/app-config';
import { WorkflowEventLog } from './workflow-event-log';
import { WorkflowEventStream } from './workflow-event-stream.service';

/** A comment line: clients ignore it, proxies and the client's watchdog see the stream is alive. */
const HEARTBEAT: MessageEvent = { comment: '' };

/** How long shutdown waits for ended streams to flush before the server closes their sockets. */
const SHUTDOWN_FLUSH_MS = 3_000;

/** What a client over its cap of open streams is told to wait before trying again. */
const STREAM_CAP_RETRY_AFTER_SECONDS = 5;

/** What `open` found: the stream to send, or that nothing will ever come. */
export type EventStreamOpening =
  { kind: 'stream'; messages: Observable<MessageEvent> } | { kind: 'finished' };

/** The SSE side of a run's events: access, caps, retry hint, replay and live events, heartbeats, time limits. */
@Injectable()
export class WorkflowEventsService implements BeforeApplicationShutdown {
  private readonly shuttingDown$ = new Subject<void>();
  private readonly openResponses = new Set<ServerResponse>();
  private readonly openStreamsByUser = new Map<string, number>();

  constructor(
    private readonly log: WorkflowEventLog,
    private readonly stream: WorkflowEventStream,
    private readonly config: AppConfig,
  ) {}

  /**
   * Opens the stream of a run's events after `afterId` for its owner. Another user's run is
   * unknown (404), exactly like a run that does not exist; past the user's cap of open streams, 429.
   * Answers `finished` when the client already has the run's terminal event.
   */
  open(
    workflowId: string,
    afterId: number,
    user: SignedInUser,
    response: ServerResponse,
  ): EventStreamOpening {
    if (this.log.ownerOf(workflowId) !== user.username) {
      throw new NotFoundException(`Workflow ${workflowId} was not found`);
    }
    const last = this.log.last(workflowId)?.event;
    if (last && isTerminalEvent(last) && afterId >= last.id) return { kind: 'finished' };
    this.holdStreamSlot(user.username, response);
    return { kind: 'stream', messages: this.messages(workflowId, afterId, user.expiresAt) };
  }

  /** Ends every open stream and lets the responses flush, so clients see a clean end and resume. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown$.next();
    const flushed = [...this.openResponses].map((response) => once(response, 'close'));
    const deadline = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref());
    await Promise.race([Promise.all(flushed), deadline]);
  }

  /** Counts an open stream against its user's cap until its response closes, however it ends. */
  private holdStreamSlot(username: string, response: ServerResponse): void {
    const open = this.openStreamsByUser.get(username) ?? 0;
    if (open >= this.config.maxOpenStreamsPerUser) {
      response.setHeader('Retry-After', String(STREAM_CAP_RETRY_AFTER_SECONDS));
      throw new HttpException(
        `You have ${open} event streams open, the most allowed; close one first`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.openStreamsByUser.set(username, open + 1);
    this.openResponses.add(response);
    response.once('close', () => {
      this.openResponses.delete(response);
      const left = (this.openStreamsByUser.get(username) ?? 1) - 1;
      if (left > 0) this.openStreamsByUser.set(username, left);
      else this.openStreamsByUser.delete(username);
    });
  }

  private messages(workflowId: string, afterId: number, tokenExpiresAt: number): Observable<MessageEvent> {
    const { sseRetryMs, sseHeartbeatMs, sseMaxConnectionMs } = this.config;
    // The stream ends no later than the token that opened it; the client signs in again and resumes.
    const closeAfter = Math.max(0, Math.min(sseMaxConnectionMs, tokenExpiresAt - Date.now()));
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
    }).pipe(takeUntil(this.shuttingDown$), takeUntil(timer(closeAfter)));
  }
}

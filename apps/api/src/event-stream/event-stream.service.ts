import {
  BadRequestException,
  BeforeApplicationShutdown,
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { isTerminalEvent } from '@issuecast/workflow-events';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { SESSION_SIGNED_OUT } from '../auth/auth.service';
import type { SignedInUser } from '../auth/signed-in-user';
import { SseConfig } from '../config/app-config';
import { EVENT_STREAM_HEADERS, EventStreamConnection } from './event-stream-connection';
import { StreamSlots } from './stream-slots';
import { WorkflowEventLog } from '../event-log/workflow-event-log';
import { RunStore } from '../store/run-store';

/** How long shutdown waits for ended streams to flush before the server closes their sockets. */
const SHUTDOWN_FLUSH_MS = 3_000;

/** What a client over its cap of open streams is told to wait before trying again. */
const STREAM_CAP_RETRY_AFTER_SECONDS = 5;

/**
 * Bytes of live events that may wait for a client that is not reading before its connection is
 * dropped; the client then resumes from the log with `Last-Event-ID`.
 */
const MAX_PENDING_BYTES = 1024 * 1024;

/** The SSE side of a run's events: access, caps, the stream itself, shutdown. */
@Injectable()
export class EventStreamService implements BeforeApplicationShutdown {
  private readonly openStreams = new Set<EventStreamConnection>();
  /** The open streams of each sign-in, to close when it signs out. */
  private readonly streamsBySession = new Map<string, Set<EventStreamConnection>>();

  constructor(
    private readonly log: WorkflowEventLog,
    private readonly store: RunStore,
    private readonly sse: SseConfig,
    private readonly slots: StreamSlots,
  ) {}

  /**
   * Streams the events of a run after `afterId` to its owner on `response`. Another user's run is
   * unknown (404), exactly like a run that does not exist; past the user's cap of open streams, 429;
   * these are thrown before anything is written, so they are answered as JSON. A client that
   * already has the run's terminal event gets 204, which tells an EventSource to stop reconnecting;
   * one that claims an id the run has not reached gets 400 (it would wait for events that never come).
   */
  async stream(
    workflowId: string,
    afterId: number,
    user: SignedInUser,
    response: ServerResponse,
  ): Promise<void> {
    const run = await this.store.findRun(workflowId);
    if (run?.owner !== user.username) {
      throw new NotFoundException(`Workflow ${workflowId} was not found`);
    }
    const last = (await this.log.last(workflowId))?.event;
    const lastId = last?.id ?? 0;
    if (afterId > lastId) {
      throw new BadRequestException(
        `Last-Event-ID / lastEventId ${afterId} is beyond this run's last event, ${lastId}: resume from an id you received`,
      );
    }
    if (last && isTerminalEvent(last) && afterId === last.id) {
      response.writeHead(HttpStatus.NO_CONTENT).end();
      return;
    }
    // The client may have left while the request was being checked: there is nobody to stream to.
    if (response.destroyed) return;
    if (response.req.method === 'HEAD') {
      response.writeHead(HttpStatus.OK, EVENT_STREAM_HEADERS).end();
      return;
    }
    const releaseSlot = await this.takeStreamSlot(user.username, response);
    if (response.destroyed) return releaseSlot();
    const { retryMs, heartbeatMs, maxConnectionMs } = this.sse;
    // The stream ends no later than the token that opened it; the client signs in again and resumes.
    const closeAfterMs = Math.max(0, Math.min(maxConnectionMs, user.expiresAt - Date.now()));
    const connection = new EventStreamConnection(this.log, workflowId, afterId, response, {
      retryMs,
      heartbeatMs,
      closeAfterMs,
      maxPendingBytes: MAX_PENDING_BYTES,
    });
    this.openStreams.add(connection);
    const ofSession = this.streamsBySession.get(user.sessionId) ?? new Set();
    this.streamsBySession.set(user.sessionId, ofSession.add(connection));
    // However the stream ends, its place comes free.
    response.once('close', () => {
      this.openStreams.delete(connection);
      ofSession.delete(connection);
      if (ofSession.size === 0) this.streamsBySession.delete(user.sessionId);
      releaseSlot();
    });
  }

  /** A signed-out session's streams end; their clients reconnect and are refused (401). */
  @OnEvent(SESSION_SIGNED_OUT)
  endStreamsOf(sessionId: string): void {
    for (const connection of this.streamsBySession.get(sessionId) ?? []) connection.end();
  }

  /** Ends every open stream and lets the responses flush, so clients see a clean end and resume. */
  async beforeApplicationShutdown(): Promise<void> {
    const flushed = [...this.openStreams].map((connection) => {
      const closed = once(connection.response, 'close');
      connection.end();
      return closed;
    });
    const deadline = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref());
    await Promise.race([Promise.all(flushed), deadline]);
  }

  /** Counts an open stream against its user's cap, or refuses it past the cap; answers its release. */
  private async takeStreamSlot(username: string, response: ServerResponse): Promise<() => void> {
    const answer = await this.slots.take(username);
    if (answer.taken) return answer.release;
    response.setHeader('Retry-After', String(STREAM_CAP_RETRY_AFTER_SECONDS));
    throw new HttpException(
      `You have ${answer.open} event streams open, the most allowed; close one first`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

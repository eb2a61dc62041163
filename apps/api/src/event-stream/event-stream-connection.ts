import { Logger } from '@nestjs/common';
import { isTerminalEvent } from '@issuecast/workflow-events';
import type { ServerResponse } from 'node:http';
import type { LoggedEvent } from '../event-log/logged-event';
import type { WorkflowEventLog } from '../event-log/workflow-event-log';

/** The headers of an event stream: no caching, and no buffering or transformation by proxies. */
export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
} as const;

/**
 * A comment line with no blank line after it: it dispatches nothing (a blank line would, as an
 * empty message in parsers such as fetch-event-source's); proxies and the client's watchdog see
 * the stream is alive.
 */
const HEARTBEAT = Buffer.from(':\n');

export interface EventStreamTimings {
  retryMs: number;
  heartbeatMs: number;
  /** The stream is ended after this long; the client resumes where it was. */
  closeAfterMs: number;
  /** Bytes of live events that may wait for a client that is not reading before it is dropped. */
  maxPendingBytes: number;
}

/**
 * One client's stream of a run's events, written straight to its response: the retry hint, the
 * events after `afterId` from the log, then the live ones, ended after the terminal event.
 *
 * Each event goes out as the frame the log encoded once, shared by every connection, and the
 * events written in one turn of the event loop leave in one `writev` (Node corks the socket for
 * the turn). The log is the only queue: when the socket takes no more, the stream stops writing
 * and catches up from the log on `drain`, so a slow client holds no copy of anything; one that
 * falls more than `maxPendingBytes` of live events behind is dropped, and resumes with Last-Event-ID.
 */
export class EventStreamConnection {
  private static readonly logger = new Logger(EventStreamConnection.name);

  private lastId: number;
  /** The highest id announced while the stream listened: it has caught up once it wrote that far. */
  private latestAnnounced = 0;
  /** The first id announced while the stream listened; the ones before it are replayed from the log. */
  private firstAnnounced = Infinity;
  /** Bytes of announced events not written yet. */
  private waiting = 0;
  private paused = false;
  private reading = false;
  /** The last page read from the log and the index of its next event: the rest is written once the socket takes more. */
  private page: readonly LoggedEvent[] = [];
  private next = 0;
  private released = false;
  private readonly stopListening: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly deadline: NodeJS.Timeout;
  private readonly onDrain = () => {
    this.paused = false;
    this.catchUp();
  };

  constructor(
    private readonly log: WorkflowEventLog,
    private readonly workflowId: string,
    afterId: number,
    readonly response: ServerResponse,
    private readonly timings: EventStreamTimings,
  ) {
    this.lastId = afterId;
    response.writeHead(200, EVENT_STREAM_HEADERS);
    // A field applies when its line is parsed: the first event's frame completes this block, so the
    // hint is never an empty message. It also sends the headers at once, before any event exists.
    response.write(`retry: ${timings.retryMs}\n`);
    response.on('drain', this.onDrain);
    response.once('close', () => this.release());
    // A stream that is backed up has a write pending already: it learns of a client that left.
    this.heartbeat = setInterval(() => this.paused || response.write(HEARTBEAT), timings.heartbeatMs);
    this.deadline = setTimeout(() => this.end(), timings.closeAfterMs);
    // Listening before reading leaves no gap between the replay and the live events.
    this.stopListening = log.subscribe(workflowId, (entry) => this.onLive(entry));
    this.catchUp();
  }

  /** Ends the stream once what was written has gone out; the client resumes where it was. */
  end(): void {
    if (this.released) return;
    this.release();
    this.response.end();
  }

  private onLive(entry: LoggedEvent): void {
    const { id } = entry.event;
    if (this.released || id <= this.lastId) return;
    this.firstAnnounced = Math.min(this.firstAnnounced, id);
    this.latestAnnounced = Math.max(this.latestAnnounced, id);
    this.waiting += entry.frame.length;
    if (this.paused) {
      if (this.waiting > this.timings.maxPendingBytes) this.drop();
    } else if (id === this.lastId + 1 && !this.reading) {
      this.write(entry);
    } else {
      // Behind, or an event announced ahead of one still being announced to other listeners: the
      // log, not the order in which listeners are called, says what comes next.
      this.catchUp();
    }
  }

  /** Writes the events after the last one written, read from the log, until caught up or the socket is full. */
  private catchUp(): void {
    if (this.reading || this.released) return;
    this.reading = true;
    void this.readOn().catch((error: unknown) => {
      EventStreamConnection.logger.error(`Reading the events of ${this.workflowId} failed: ${String(error)}`);
      this.end();
    });
  }

  private async readOn(): Promise<void> {
    // Cleared the moment the loop stops, not a promise callback later: the socket may drain on the
    // very next tick, and its `drain` must find the stream not reading.
    try {
      for (;;) {
        if (this.next === this.page.length) {
          this.page = await this.log.readAfter(this.workflowId, this.lastId);
          this.next = 0;
          if (this.released) return;
          // Caught up, unless an event was announced while the log was being read.
          if (this.page.length === 0 && this.lastId >= this.latestAnnounced) return;
        }
        while (this.next < this.page.length) {
          const entry = this.page[this.next++];
          if (entry.event.id > this.lastId && !this.write(entry)) return;
        }
      }
    } finally {
      this.reading = false;
    }
  }

  /** Writes one event; answers whether the stream takes the next one now. */
  private write({ event, frame }: LoggedEvent): boolean {
    this.lastId = event.id;
    if (event.id >= this.firstAnnounced) this.waiting = Math.max(0, this.waiting - frame.length);
    const more = this.response.write(frame);
    if (isTerminalEvent(event)) {
      this.end();
      return false;
    }
    if (!more) this.paused = true;
    return more;
  }

  private drop(): void {
    EventStreamConnection.logger.warn(
      `A client of ${this.workflowId} is not reading its events: ${this.waiting} bytes wait for it; dropped`,
    );
    this.release();
    this.response.destroy();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.stopListening();
    clearInterval(this.heartbeat);
    clearTimeout(this.deadline);
    this.response.off('drain', this.onDrain);
  }
}

import type { MessageEvent } from '@nestjs/common';
import type { WorkflowEvent } from '@issuecast/workflow-events';

/**
 * An event as the log keeps it: the event, and its SSE message serialized and encoded once, the
 * very bytes that every connection sending it writes.
 */
export interface LoggedEvent {
  readonly event: WorkflowEvent;
  /** `event: <type>`, `id: <id>`, `data: <the event as JSON>` and the blank line that ends it, in UTF-8. */
  readonly frame: Buffer;
  /** The same message as fields, read back from `frame` when asked for. */
  readonly message: Readonly<MessageEvent> & { readonly id: string; readonly data: string };
}

/** Builds the log entry of an event, serializing it to JSON once. */
export function toLoggedEvent(event: WorkflowEvent): LoggedEvent {
  const head = `event: ${event.type}\nid: ${event.id}\ndata: `;
  // JSON.stringify escapes every line break, so the event fits on the one `data:` line.
  return new LogEntry(event, Buffer.from(`${head}${JSON.stringify(event)}\n\n`), head.length);
}

class LogEntry implements LoggedEvent {
  constructor(
    readonly event: WorkflowEvent,
    readonly frame: Buffer,
    /** Where the JSON starts in `frame`; the head before it is ASCII, one byte per character. */
    private readonly dataStart: number,
  ) {}

  get message(): LoggedEvent['message'] {
    const data = this.frame.toString('utf8', this.dataStart, this.frame.length - 2);
    return { id: String(this.event.id), type: this.event.type, data };
  }
}

import { SSE_EVENT_NAMES, type WorkflowEvent } from '@issuecast/workflow-events';
import type { StoredEvent } from '../store/run-record';

/**
 * An event as the log keeps it: the event, and its SSE message serialized and encoded once, the
 * very bytes that every connection sending it writes.
 */
export interface LoggedEvent {
  readonly event: WorkflowEvent;
  /** `event: <its SSE name>`, `id: <id>`, `data: <the event as JSON>` and the blank line that ends it, in UTF-8. */
  readonly frame: Buffer;
}

/** Builds the log entry of an event from its JSON, serializing it first if need be. */
export function toLoggedEvent(event: WorkflowEvent, json = JSON.stringify(event)): LoggedEvent {
  // JSON.stringify escapes every line break, so the event fits on the one `data:` line.
  const frame = Buffer.from(`event: ${SSE_EVENT_NAMES[event.type]}\nid: ${event.id}\ndata: ${json}\n\n`);
  return { event, frame };
}

/** The log entry of an event read back from the store, framed from the stored text as it is. */
export function fromStoredEvent({ json }: StoredEvent): LoggedEvent {
  return toLoggedEvent(JSON.parse(json) as WorkflowEvent, json);
}

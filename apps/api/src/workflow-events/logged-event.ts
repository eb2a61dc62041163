import type { MessageEvent } from '@nestjs/common';
import type { WorkflowEvent } from '@issuecast/workflow-events';

/**
 * An event as the log keeps it: the event, and its SSE message built once, shared by every
 * connection that sends it.
 */
export interface LoggedEvent {
  readonly event: WorkflowEvent;
  readonly message: Readonly<MessageEvent> & { readonly id: string; readonly data: string };
}

/** Builds the log entry of an event, serializing it to JSON once. */
export function toLoggedEvent(event: WorkflowEvent): LoggedEvent {
  return { event, message: { id: String(event.id), type: event.type, data: JSON.stringify(event) } };
}

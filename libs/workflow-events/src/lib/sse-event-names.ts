import type { WorkflowEventType } from './workflow-event';

/**
 * The SSE `event:` name of each event type. It is the type itself, except for `error`: an
 * `EventSource` dispatches its own connection failures as `error`, so a terminal failure named so
 * would reach the same listeners as a dropped connection.
 */
export const SSE_EVENT_NAMES = {
  status: 'status',
  llm_response: 'llm_response',
  tool_call: 'tool_call',
  tool_result: 'tool_result',
  error: 'run_error',
  complete: 'complete',
} as const satisfies Record<WorkflowEventType, string>;

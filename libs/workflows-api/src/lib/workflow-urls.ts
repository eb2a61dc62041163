/** A run's snapshot: `GET` it; its routes (`/cancel`, `/post`, `/events`) live below it. */
export function workflowUrl(workflowId: string): string {
  return `/api/workflows/${encodeURIComponent(workflowId)}`;
}

/** A run's event stream (SSE); resume with `Last-Event-ID`, or `?lastEventId=` from a new `EventSource`. */
export function workflowEventsUrl(workflowId: string): string {
  return `${workflowUrl(workflowId)}/events`;
}

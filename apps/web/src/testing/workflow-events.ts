import type { WorkflowEvent, WorkflowEventData, WorkflowEventType } from '@issuecast/workflow-events';

export const workflowId = '4b6f2f4e-7a0e-4c1a-9a53-2f1d3c9e8b10';

/** One event of {@link workflowId} as the server would send it. */
export function workflowEvent<T extends WorkflowEventType>(
  id: number,
  type: T,
  data: WorkflowEventData<T>,
): WorkflowEvent<T> {
  return {
    id,
    workflowId,
    type,
    data,
    timestamp: new Date(Date.UTC(2026, 10, 25, 10, 0, id)).toISOString(),
  } as WorkflowEvent<T>;
}

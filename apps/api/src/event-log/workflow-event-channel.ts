/** Prefix of the `@nestjs/event-emitter` event on which each run's events are published. */
export const WORKFLOW_EVENT = 'workflow.event';

/** The event name for one run's events, so a listener hears only the run it follows. */
export function workflowEventChannel(workflowId: string): string {
  return `${WORKFLOW_EVENT}.${workflowId}`;
}

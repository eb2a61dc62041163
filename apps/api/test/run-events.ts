import { isTerminalEvent, type WorkflowEvent } from '@issuecast/workflow-events';

/** The steps of a run's `status` events, in order. */
export function stepsOf(events: WorkflowEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'status' ? [event.data.step] : []));
}

/** Each event as `type` or `type:step|code`, the shape of a run at a glance. */
export function shapeOf(events: WorkflowEvent[]): string[] {
  return events.map((event) => {
    if (event.type === 'status') return `status:${event.data.step}`;
    if (event.type === 'error') return `error:${event.data.code}`;
    return event.type;
  });
}

/** The text the run's `llm_response` events add up to. */
export function textOf(events: WorkflowEvent[]): string {
  return events.flatMap((event) => (event.type === 'llm_response' ? [event.data.content] : [])).join('');
}

export function expectOneTerminalEventLast(events: WorkflowEvent[]): void {
  expect(events.filter(isTerminalEvent)).toHaveLength(1);
  expect(isTerminalEvent(events.at(-1) as WorkflowEvent)).toBe(true);
}

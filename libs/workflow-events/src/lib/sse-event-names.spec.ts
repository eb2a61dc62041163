import { SSE_EVENT_NAMES } from './sse-event-names';
import { WORKFLOW_EVENT_TYPES } from './workflow-event';

describe('SSE_EVENT_NAMES', () => {
  it('names every event type differently, and none of them `error`, the name of EventSource’s own failures', () => {
    const names = WORKFLOW_EVENT_TYPES.map((type) => SSE_EVENT_NAMES[type]);

    expect(new Set(names).size).toBe(WORKFLOW_EVENT_TYPES.length);
    expect(names).not.toContain('error');
    expect(names).not.toContain('message');
    expect(names).not.toContain('open');
  });

  it('sends a run’s failure as `run_error`', () => {
    expect(SSE_EVENT_NAMES.error).toBe('run_error');
  });
});

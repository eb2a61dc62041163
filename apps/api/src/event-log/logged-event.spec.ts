import { parseWorkflowEvent, type WorkflowEvent } from '@issuecast/workflow-events';
import { toLoggedEvent } from './logged-event';

const event: WorkflowEvent<'llm_response'> = {
  id: 7,
  workflowId: '0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b',
  type: 'llm_response',
  data: { content: 'Line one\nline two, «quoted», 🚀\r\n' },
  timestamp: '2026-01-02T03:04:05.006Z',
};

describe(toLoggedEvent.name, () => {
  it('frames the event as one SSE message: event, id, then the event as JSON on a single data line', () => {
    const { frame } = toLoggedEvent(event);

    const text = frame.toString('utf8');
    expect(text.endsWith('\n\n')).toBe(true);
    const lines = text.slice(0, -2).split('\n');
    expect(lines.slice(0, 2)).toEqual(['event: llm_response', 'id: 7']);
    expect(lines).toHaveLength(3);
    expect(lines[2].startsWith('data: ')).toBe(true);
    expect(parseWorkflowEvent(lines[2].slice('data: '.length))).toEqual({ ok: true, event });
  });

  it('names a failure `run_error`, not `error`, while its JSON keeps the type `error`', () => {
    const failure: WorkflowEvent<'error'> = {
      ...event,
      type: 'error',
      data: { content: 'The model failed.', code: 'llm_failed', retryable: true },
    };

    const [name, , data] = toLoggedEvent(failure).frame.toString('utf8').split('\n');

    expect(name).toBe('event: run_error');
    expect(JSON.parse(data.slice('data: '.length))).toMatchObject({ type: 'error' });
  });
});

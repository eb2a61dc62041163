import { initialRunView, isFinished, reduceRunView, toRunView } from './run-view';
import type { WorkflowEvent, WorkflowEventData, WorkflowEventType } from './workflow-event';

const workflowId = '4b6f2f4e-7a0e-4c1a-9a53-2f1d3c9e8b10';

function eventsOf(
  ...parts: { [T in WorkflowEventType]: [T, WorkflowEventData<T>] }[WorkflowEventType][]
): WorkflowEvent[] {
  return parts.map(
    ([type, data], index) =>
      ({
        id: index + 1,
        workflowId,
        type,
        data,
        timestamp: `2026-11-25T10:00:0${index}.000Z`,
      }) as WorkflowEvent,
  );
}

const run = eventsOf(
  ['status', { content: 'Queued', step: 'queued' }],
  ['status', { content: 'Drafting', step: 'drafting' }],
  ['tool_call', { content: 'Listing files', tool: 'list_files', callId: 'c1', arguments: { path: '/' } }],
  ['tool_result', { content: '3 files', tool: 'list_files', callId: 'c1', ok: true }],
  ['llm_response', { content: 'Hello' }],
  ['llm_response', { content: ', world' }],
  ['complete', { content: 'Hello, world', commentUrl: 'https://example.test/c/1' }],
);

describe(reduceRunView.name, () => {
  it('starts queued with no text', () => {
    expect(initialRunView).toEqual({ state: 'queued', lastEventId: 0, text: '', timeline: [] });
  });

  it('grows the text with each llm_response and marks the run running', () => {
    const view = toRunView(run.slice(0, 6));
    expect(view.state).toBe('running');
    expect(view.text).toBe('Hello, world');
    expect(view.lastEventId).toBe(6);
    expect(isFinished(view)).toBe(false);
  });

  it('records steps and pairs each tool call with its result in the timeline', () => {
    expect(toRunView(run).timeline).toEqual([
      { kind: 'step', step: 'queued', content: 'Queued', at: run[0].timestamp },
      { kind: 'step', step: 'drafting', content: 'Drafting', at: run[1].timestamp },
      {
        kind: 'tool',
        callId: 'c1',
        tool: 'list_files',
        arguments: { path: '/' },
        content: 'Listing files',
        result: { ok: true, content: '3 files' },
        at: run[2].timestamp,
      },
    ]);
  });

  it('completes with the final comment and its URL', () => {
    const view = toRunView(run);
    expect(view).toMatchObject({
      state: 'completed',
      text: 'Hello, world',
      commentUrl: 'https://example.test/c/1',
      startedAt: run[0].timestamp,
      finishedAt: run[6].timestamp,
    });
    expect(isFinished(view)).toBe(true);
  });

  it('ignores an event whose id was already applied, so a replay adds no text twice', () => {
    const once = toRunView(run.slice(0, 6));
    expect(toRunView([...run.slice(0, 6), ...run.slice(3, 6)])).toEqual(once);
    expect(reduceRunView(once, run[4])).toBe(once);
  });

  it('marks a cancelled run cancelled and a failed run failed, keeping the text so far', () => {
    const [queued, , , , hello] = run;
    const cancelled = eventsOf([
      'error',
      { content: 'Cancelled by you', code: 'cancelled', retryable: false },
    ])[0];
    const failed = eventsOf([
      'error',
      { content: 'The model failed', code: 'llm_failed', retryable: true },
    ])[0];
    const before = toRunView([queued, hello]);
    expect(reduceRunView(before, { ...cancelled, id: 6 })).toMatchObject({
      state: 'cancelled',
      text: 'Hello',
    });
    expect(reduceRunView(before, { ...failed, id: 6 })).toMatchObject({
      state: 'failed',
      error: { code: 'llm_failed', message: 'The model failed', retryable: true },
    });
  });

  it('applies nothing after the terminal event', () => {
    const done = toRunView(run);
    const late = { ...run[4], id: 99 };
    expect(reduceRunView(done, late)).toBe(done);
  });
});

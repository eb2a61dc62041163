import { parseWorkflowEvent, isWorkflowEvent } from './parse-workflow-event';
import type { WorkflowEvent } from './workflow-event';

const workflowId = '4b6f2f4e-7a0e-4c1a-9a53-2f1d3c9e8b10';
const timestamp = '2026-11-25T10:00:00.000Z';

const valid: WorkflowEvent[] = [
  { id: 1, workflowId, timestamp, type: 'status', data: { content: 'Queued', step: 'queued' } },
  { id: 2, workflowId, timestamp, type: 'llm_response', data: { content: 'Hello' } },
  { id: 3, workflowId, timestamp, type: 'llm_response', data: { content: '' } },
  {
    id: 4,
    workflowId,
    timestamp,
    type: 'tool_call',
    data: {
      content: 'Reading src/a.ts',
      tool: 'read_file',
      callId: 'call_1',
      arguments: { path: 'src/a.ts' },
    },
  },
  {
    id: 5,
    workflowId,
    timestamp,
    type: 'tool_result',
    data: { content: '120 lines', tool: 'read_file', callId: 'call_1', ok: true },
  },
  {
    id: 6,
    workflowId,
    timestamp,
    type: 'error',
    data: { content: 'Stopped', code: 'cancelled', retryable: false },
  },
  { id: 7, workflowId, timestamp, type: 'complete', data: { content: '# Done' } },
  {
    id: 8,
    workflowId,
    timestamp,
    type: 'complete',
    data: { content: '# Done', commentUrl: 'https://github.com/o/r/issues/1#issuecomment-9' },
  },
];

describe(parseWorkflowEvent.name, () => {
  it.each(valid)('accepts a valid $type event (id $id) given as an object or as JSON', (event) => {
    expect(parseWorkflowEvent(event)).toEqual({ ok: true, event });
    expect(parseWorkflowEvent(JSON.stringify(event))).toEqual({ ok: true, event });
    expect(isWorkflowEvent(event)).toBe(true);
  });

  const base = valid[1];
  it.each([
    ['a zero id', { ...base, id: 0 }, 'id'],
    ['a fractional id', { ...base, id: 1.5 }, 'id'],
    ['a workflowId that is not a UUID', { ...base, workflowId: 'run-1' }, 'workflowId'],
    ['an unknown type', { ...base, type: 'token' }, 'type'],
    ['a timestamp that is not ISO 8601', { ...base, timestamp: 'yesterday' }, 'timestamp'],
    ['data without content', { ...base, data: {} }, 'data.content'],
    ['a status with an unknown step', { ...valid[0], data: { content: '', step: 'dreaming' } }, 'data.step'],
    [
      'an error with an unknown code',
      { ...valid[5], data: { content: 'x', code: 'oops', retryable: false } },
      'data.code',
    ],
    [
      'an error without retryable',
      { ...valid[5], data: { content: 'x', code: 'internal' } },
      'data.retryable',
    ],
    [
      'a tool_call without callId',
      { ...valid[3], data: { content: '', tool: 't', arguments: {} } },
      'data.callId',
    ],
    [
      'a complete with a commentUrl that is not a URL',
      { ...valid[6], data: { content: '', commentUrl: 'nope' } },
      'data.commentUrl',
    ],
  ])('rejects %s, naming the field', (_case, input, field) => {
    const result = parseWorkflowEvent(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(field);
    expect(isWorkflowEvent(input)).toBe(false);
  });

  it.each([
    ['not JSON', '{id: 1'],
    ['null', null],
    ['an array', []],
    ['a number', 42],
  ])('rejects %s', (_case, input) => {
    expect(parseWorkflowEvent(input).ok).toBe(false);
  });
});

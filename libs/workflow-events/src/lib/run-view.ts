import type { ErrorCode, RunStep, RunUsage, WorkflowEvent } from './workflow-event';

/** Where a run stands, as a person reads it. */
export const RUN_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;

export type RunState = (typeof RUN_STATES)[number];

/** One entry of a run's timeline: a step, or a tool call with its result once it came. */
export type TimelineEntry =
  | { kind: 'step'; step: RunStep; content: string; at: string }
  | {
      kind: 'tool';
      callId: string;
      tool: string;
      arguments: Record<string, unknown>;
      content: string;
      result?: { ok: boolean; content: string };
      at: string;
    };

/** A run as the events so far describe it. */
export interface RunView {
  state: RunState;
  /** The highest event id applied; 0 before any. */
  lastEventId: number;
  /** The draft so far; the final comment once completed. */
  text: string;
  timeline: TimelineEntry[];
  error?: { code: ErrorCode; message: string; retryable: boolean };
  commentUrl?: string;
  /** What the run cost, once completed. */
  usage?: RunUsage;
  startedAt?: string;
  finishedAt?: string;
}

/** The view of a run before any event. */
export const initialRunView: RunView = { state: 'queued', lastEventId: 0, text: '', timeline: [] };

/**
 * Applies one event to a view and returns the new view (the input is not changed).
 * An event whose id was already applied is ignored, so replays and resumed streams are safe.
 */
export function reduceRunView(view: RunView, event: WorkflowEvent): RunView {
  if (event.id <= view.lastEventId || isFinished(view)) return view;
  const next: RunView = { ...view, lastEventId: event.id, startedAt: view.startedAt ?? event.timestamp };
  switch (event.type) {
    case 'status':
      return {
        ...next,
        state: event.data.step === 'queued' ? next.state : 'running',
        timeline: [
          ...view.timeline,
          { kind: 'step', step: event.data.step, content: event.data.content, at: event.timestamp },
        ],
      };
    case 'llm_response':
      return { ...next, state: 'running', text: view.text + event.data.content };
    case 'tool_call':
      return {
        ...next,
        timeline: [
          ...view.timeline,
          {
            kind: 'tool',
            callId: event.data.callId,
            tool: event.data.tool,
            arguments: event.data.arguments,
            content: event.data.content,
            at: event.timestamp,
          },
        ],
      };
    case 'tool_result':
      return {
        ...next,
        timeline: view.timeline.map((entry) =>
          entry.kind === 'tool' && entry.callId === event.data.callId
            ? { ...entry, result: { ok: event.data.ok, content: event.data.content } }
            : entry,
        ),
      };
    case 'error':
      return {
        ...next,
        state: event.data.code === 'cancelled' ? 'cancelled' : 'failed',
        error: { code: event.data.code, message: event.data.content, retryable: event.data.retryable },
        finishedAt: event.timestamp,
      };
    case 'complete':
      return {
        ...next,
        state: 'completed',
        text: event.data.content,
        commentUrl: event.data.commentUrl,
        usage: event.data.usage,
        finishedAt: event.timestamp,
      };
  }
}

/** Folds an ordered list of events into a view. */
export function toRunView(events: Iterable<WorkflowEvent>, from: RunView = initialRunView): RunView {
  let view = from;
  for (const event of events) view = reduceRunView(view, event);
  return view;
}

/** Whether the run has reached its terminal event. */
export function isFinished(view: Pick<RunView, 'state'>): boolean {
  return view.state === 'completed' || view.state === 'failed' || view.state === 'cancelled';
}

import * as z from 'zod';

/** The six kinds of event a workflow run produces, in the order of the brief. */
export const WORKFLOW_EVENT_TYPES = [
  'status',
  'llm_response',
  'tool_call',
  'tool_result',
  'error',
  'complete',
] as const;

export type WorkflowEventType = (typeof WORKFLOW_EVENT_TYPES)[number];

/** The steps a run reports through `status` events. */
const RUN_STEPS = ['queued', 'fetching_issue', 'reading_repository', 'drafting', 'posting'] as const;

export type RunStep = (typeof RUN_STEPS)[number];

/** Why a run ended in an `error` event. */
export const ERROR_CODES = [
  'cancelled',
  'llm_failed',
  'github_failed',
  'timeout',
  'interrupted',
  'worker_lost',
  'store_failed',
  'limit_exceeded',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Event types after which a run emits nothing more. */
const TERMINAL_EVENT_TYPES = ['error', 'complete'] as const satisfies readonly WorkflowEventType[];

const content = z.string();
const count = z.int().min(0);

/**
 * What drafting a run's comment cost: the model, its tokens (as the provider counted them; 0 for
 * the offline drafter, which uses none) and its times in milliseconds.
 */
const runUsageSchema = z.object({
  model: z.string().min(1),
  promptTokens: count,
  completionTokens: count,
  /** From the start of the run to the first token of the comment; absent when none came. */
  timeToFirstTokenMs: count.optional(),
  /** From the start of the run to its end. */
  durationMs: count,
});

export type RunUsage = z.infer<typeof runUsageSchema>;

/** Schemas of each event type's `data`; every one carries a `content` string. */
const workflowEventDataSchemas = {
  status: z.object({ content, step: z.enum(RUN_STEPS) }),
  llm_response: z.object({ content }),
  /** The model reads the repository; `content` says what in a line ("Reading src/app.ts"). */
  tool_call: z.object({
    content,
    tool: z.string().min(1),
    callId: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()),
  }),
  /**
   * The outcome of the call with the same `callId`, which it always follows; `content` sums it up in a
   * line ("Read src/app.ts (120 lines)"): what was read goes to the model, never into an event.
   */
  tool_result: z.object({
    content,
    tool: z.string().min(1),
    callId: z.string().min(1),
    ok: z.boolean(),
  }),
  error: z.object({ content, code: z.enum(ERROR_CODES), retryable: z.boolean() }),
  /**
   * `commentUrl` when the run posted the comment itself; a post made after the run is in the run's snapshot.
   * `usage` is what the run cost (absent only on runs stored before it was recorded).
   */
  complete: z.object({ content, commentUrl: z.url().optional(), usage: runUsageSchema.optional() }),
} as const satisfies Record<WorkflowEventType, z.ZodType>;

const envelope = {
  id: z.int().min(1),
  workflowId: z.uuid(),
  timestamp: z.iso.datetime(),
};

function eventSchemaOf<T extends WorkflowEventType>(type: T) {
  return z.object({ ...envelope, type: z.literal(type), data: workflowEventDataSchemas[type] });
}

/** Schema of one event as it travels as JSON (the `data:` of an SSE message). */
export const workflowEventSchema = z.discriminatedUnion('type', [
  eventSchemaOf('status'),
  eventSchemaOf('llm_response'),
  eventSchemaOf('tool_call'),
  eventSchemaOf('tool_result'),
  eventSchemaOf('error'),
  eventSchemaOf('complete'),
]);

/**
 * One event of a run. `id` counts 1, 2, 3 … per workflow without gaps; `timestamp` is ISO 8601.
 * Narrow on `type` to reach the fields of its `data`.
 */
export type WorkflowEvent<T extends WorkflowEventType = WorkflowEventType> = Extract<
  z.infer<typeof workflowEventSchema>,
  { type: T }
>;

/** The `data` of an event of type `T`. */
export type WorkflowEventData<T extends WorkflowEventType = WorkflowEventType> = WorkflowEvent<T>['data'];

/** Whether `event` ends its run (`error` or `complete`). */
export function isTerminalEvent(
  event: Pick<WorkflowEvent, 'type'>,
): event is WorkflowEvent<(typeof TERMINAL_EVENT_TYPES)[number]> {
  return (TERMINAL_EVENT_TYPES as readonly WorkflowEventType[]).includes(event.type);
}

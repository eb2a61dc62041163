import * as z from 'zod';
import { type WorkflowEvent, workflowEventSchema } from './workflow-event';

/** The outcome of {@link parseWorkflowEvent}: the event, or why the input is not one. */
export type ParseResult = { ok: true; event: WorkflowEvent } | { ok: false; error: string };

/**
 * Validates incoming JSON (an SSE message's `data` string, or an already parsed value) against the
 * event contract. Never throws; the error names the offending field.
 */
export function parseWorkflowEvent(input: unknown): ParseResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, error: 'not valid JSON' };
    }
  }
  const result = workflowEventSchema.safeParse(value);
  return result.success
    ? { ok: true, event: result.data }
    : { ok: false, error: z.prettifyError(result.error) };
}

/** Type guard form of {@link parseWorkflowEvent}. */
export function isWorkflowEvent(value: unknown): value is WorkflowEvent {
  return workflowEventSchema.safeParse(value).success;
}

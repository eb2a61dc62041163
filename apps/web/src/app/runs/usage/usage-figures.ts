import type { RunUsage } from '@issuecast/workflow-events';

const NUMBER = new Intl.NumberFormat('en');

/** A duration as a person reads it: `850 ms`, `4.2 s`, `2 min 5 s`. */
export function durationLabel(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Tokens in and out, `1,234 in · 567 out`, or `none` when the run used none (the offline drafter). */
export function tokensLabel({
  promptTokens,
  completionTokens,
}: Pick<RunUsage, 'promptTokens' | 'completionTokens'>): string {
  if (promptTokens === 0 && completionTokens === 0) return 'none';
  return `${NUMBER.format(promptTokens)} in · ${NUMBER.format(completionTokens)} out`;
}

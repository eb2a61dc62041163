import { RAW, REFERENCE, type Target } from '../targets/target.ts';
import type { ResultRow } from './bench-case.ts';
import type { PerTarget } from './in-turn.ts';

interface RowTarget {
  higherIsBetter?: boolean;
  /** Met by each store when its figure over the in-memory API's is at least (higherIsBetter) or at most this. */
  vsMemory?: number;
  /** Met by the in-memory API when its figure over raw's is at least (higherIsBetter) or at most this. */
  vsRaw?: number;
  /** Met by each API whose figure passes this. */
  absolute?: (value: number) => boolean;
  target?: string;
}

/** A row of the figures in `values`, each API judged by the targets in `options` that apply to it. */
export function row(metric: string, values: PerTarget<number>, options: RowTarget = {}): ResultRow {
  const { higherIsBetter, vsMemory, vsRaw, absolute, target = '' } = options;
  const passes = (ratio: number, bound: number) => (higherIsBetter ? ratio >= bound : ratio <= bound);
  const met: PerTarget<boolean> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name === RAW) continue;
    const checks: boolean[] = [];
    if (absolute) checks.push(absolute(value));
    if (name === REFERENCE && vsRaw !== undefined) checks.push(passes(value / values[RAW], vsRaw));
    if (name !== REFERENCE && vsMemory !== undefined)
      checks.push(passes(value / values[REFERENCE], vsMemory));
    if (checks.length > 0) met[name] = checks.every(Boolean);
  }
  return { metric, values, target, met: Object.keys(met).length > 0 ? met : undefined };
}

/** `figure()` of each target, by its name: a row's values. */
export function figures(targets: readonly Target[], figure: (name: string) => number): PerTarget<number> {
  return Object.fromEntries(targets.map(({ name }) => [name, figure(name)]));
}

/** Events that never reached a client, over a case's samples. */
export function lost(
  samples: readonly ({ lost: number } | { expected: number; delivered: number })[],
): number {
  return samples.reduce((sum, s) => sum + ('lost' in s ? s.lost : s.expected - s.delivered), 0);
}

import type { ResultRow } from './bench-case.ts';

interface RowTarget {
  higherIsBetter?: boolean;
  /** Met when API/raw is at least (higherIsBetter) or at most this. */
  ratioTarget?: number;
  /** Met when the API's figure passes this. */
  absoluteTarget?: (api: number) => boolean;
  target?: string;
}

export function row(metric: string, api: number, raw: number, options: RowTarget = {}): ResultRow {
  const { higherIsBetter, ratioTarget, absoluteTarget, target = '' } = options;
  const ratio = raw ? api / raw : NaN;
  let met: boolean | undefined;
  if (ratioTarget !== undefined) met = higherIsBetter ? ratio >= ratioTarget : ratio <= ratioTarget;
  if (absoluteTarget) met = absoluteTarget(api);
  return { metric, api, raw, ratio, target, met };
}

/** Events that never reached a client, over a case's samples. */
export function lost(
  samples: readonly ({ lost: number } | { expected: number; delivered: number })[],
): number {
  return samples.reduce((sum, s) => sum + ('lost' in s ? s.lost : s.expected - s.delivered), 0);
}

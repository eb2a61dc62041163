import type { Target, TargetName } from '../targets/target.ts';
import type { LoadSummary } from '../load/load-generator.ts';

/** Events every bench run has besides its tokens: `status` queued and drafting, then `complete`. */
export const FRAME_EVENTS = 3;
/** A client is following once it has the two `status` events. */
export const FOLLOWING = 2;

/** Samples of a case, per server. */
export type PerTarget<T> = Record<TargetName, T>;

/**
 * The targets in turn: rep 0 measures the API first, rep 1 the raw server first, and so on. The
 * servers share a core, so the one not measured is stopped meanwhile.
 */
export function* inTurn(rep: number, targets: PerTarget<Target>): Generator<Target> {
  const order = rep % 2 === 0 ? [targets.api, targets.raw] : [targets.raw, targets.api];
  for (const [index, target] of order.entries()) {
    const other = order[1 - index];
    other.pause();
    try {
      yield target;
    } finally {
      other.resume();
    }
  }
}

export function assertAllReady(target: Target, opened: LoadSummary, n: number): void {
  if (opened.ready !== n) {
    throw new Error(
      `${target.name}: only ${opened.ready} of ${n} connections got ready: ` +
        `${JSON.stringify(opened.statuses)} ${JSON.stringify(opened.errors)}`,
    );
  }
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

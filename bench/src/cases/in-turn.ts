import type { LoadSummary } from '../load/load-generator.ts';
import type { Target } from '../targets/target.ts';

/** Events every bench run has besides its tokens: `status` queued and drafting, then `complete`. */
export const FRAME_EVENTS = 3;
/** A client is following once it has the two `status` events. */
export const FOLLOWING = 2;

/** Samples or figures of a case by the target's name (`TargetName`): the API per store mode, and raw. */
export type PerTarget<T> = Record<string, T>;

/** `make()` for each target, by its name. */
export function perTarget<T>(targets: readonly Target[], make: (target: Target) => T): PerTarget<T> {
  return Object.fromEntries(targets.map((target) => [target.name, make(target)]));
}

/**
 * The targets in turn: even reps in their order (the APIs, then raw), odd reps the other way round,
 * so that none is always measured first. The servers share a core, so the ones not measured are
 * stopped meanwhile.
 */
export function* inTurn(rep: number, targets: readonly Target[]): Generator<Target> {
  const order = rep % 2 === 0 ? [...targets] : [...targets].reverse();
  for (const target of order) {
    const others = order.filter((other) => other !== target);
    for (const other of others) other.pause();
    try {
      yield target;
    } finally {
      for (const other of others) other.resume();
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

// What a case is, what it is given and what it answers. To add one: a file beside fan-out.ts that
// exports a `BenchCase`, listed in registry.ts.
import type { LoadGenerator } from '../load/load-generator.ts';
import type { Machine } from '../processes/machine.ts';
import type { ServerSettings, Target } from '../targets/target.ts';
import type { PerTarget } from './in-turn.ts';

export interface CaseContext {
  /** The API once per store mode, the in-memory reference first, then raw. */
  targets: readonly Target[];
  model: {
    /** Lets the held runs of these keys stream, their starts spread over `spreadMs`. */
    release(keys: string[], spreadMs?: number): Promise<void>;
    cpuSeconds(): number;
  };
  generator: LoadGenerator;
  machine: Machine;
  log(message: string): void;
}

/** One line of the results table: each server's figure, and for each API judged whether it meets the target. */
export interface ResultRow {
  metric: string;
  values: PerTarget<number>;
  target: string;
  met: PerTarget<boolean> | undefined;
}

export interface CaseResult {
  summary: string;
  rows: ResultRow[];
  /** Every sample behind the rows, saved in the run's JSON. */
  samples: unknown;
}

export interface BenchCase<Params = unknown> {
  /** What `--case` selects it by. */
  name: string;
  /** How the servers are started for it. */
  env: ServerSettings;
  /** Its sizes: full, or small with `--quick`. */
  params(quick: boolean): Params;
  /** Runs the same steps against every target, in alternating order (see in-turn.ts). */
  run(ctx: CaseContext, params: Params): Promise<CaseResult>;
}

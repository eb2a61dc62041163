// What a case is, what it is given and what it answers. To add one: a file beside fan-out.ts that
// exports a `BenchCase`, listed in registry.ts.
import type { LoadGenerator } from '../load/load-generator.ts';
import type { Machine } from '../processes/machine.ts';
import type { ServerSettings, Target } from '../targets/target.ts';

export interface CaseContext {
  targets: { api: Target; raw: Target };
  model: {
    /** Lets the held runs of these keys stream, their starts spread over `spreadMs`. */
    release(keys: string[], spreadMs?: number): Promise<void>;
    cpuSeconds(): number;
  };
  generator: LoadGenerator;
  machine: Machine;
  log(message: string): void;
}

/** One line of the results table: the API's figure, raw's, their ratio and whether the target is met. */
export interface ResultRow {
  metric: string;
  api: number;
  raw: number;
  ratio: number;
  target: string;
  met: boolean | undefined;
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
  /** How both servers are started for it. */
  env: ServerSettings;
  /** Its sizes: full, or small with `--quick`. */
  params(quick: boolean): Params;
  /** Runs the same steps against the API and the raw server, in alternating order (see in-turn.ts). */
  run(ctx: CaseContext, params: Params): Promise<CaseResult>;
}

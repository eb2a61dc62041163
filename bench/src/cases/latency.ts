import { nowMs } from '../clock.ts';
import { type Histogram, median, mergeHistograms, percentile } from '../statistics.ts';
import type { Target } from '../targets/target.ts';
import type { BenchCase, ResultRow } from './bench-case.ts';
import { assertAllReady, FOLLOWING, inTurn, type PerTarget, perTarget } from './in-turn.ts';
import { figures, lost, row } from './result-row.ts';

interface LatencyParams {
  /** Runs at once, one level after the other. */
  levels: number[];
  clientsPerRun: number;
  tokensPerSecond: number;
  seconds: number;
  reps: number;
}

interface LatencySample {
  /** Kept until the pooled percentiles are taken; not saved. */
  histogram?: Histogram;
  p50: number;
  p99: number;
  p999: number;
  max: number | undefined;
  samples: number;
  lost: number;
  serverCores: number;
  generatorCores: number;
  modelCores: number;
}

/**
 * Emit-to-receive latency with many paced runs, each followed by a few clients: at the load,
 * then at a fifth of it, which leaves this machine's cores some room.
 */
export const latency: BenchCase<LatencyParams> = {
  name: 'latency',
  env: { heartbeatMs: 15_000, retentionMs: 60_000 },
  params: (quick) =>
    quick
      ? { levels: [20, 4], clientsPerRun: 10, tokensPerSecond: 50, seconds: 4, reps: 1 }
      : { levels: [100, 20], clientsPerRun: 10, tokensPerSecond: 50, seconds: 20, reps: 2 },
  async run(ctx, { levels, clientsPerRun, tokensPerSecond, seconds, reps }) {
    const intervalMs = 1000 / tokensPerSecond;
    const tokens = tokensPerSecond * seconds;
    const once = async (target: Target, runs: number): Promise<LatencySample> => {
      const started = await Promise.all(
        Array.from({ length: runs }, () => target.startRun({ tokens, intervalMs, hold: true })),
      );
      const clients = runs * clientsPerRun;
      const opened = await ctx.generator.open(
        started.map((run) => target.stream(run.id)),
        clients,
        {
          mode: 'latency',
          readyEvents: FOLLOWING,
        },
      );
      assertAllReady(target, opened, clients);
      await ctx.generator.mark();
      const cpu0 = [target.cpuSeconds(), await ctx.generator.cpuSeconds(), ctx.model.cpuSeconds()];
      const startedAt = nowMs();
      await ctx.model.release(
        started.map((run) => run.key),
        intervalMs,
      );
      const done = await ctx.generator.wait(seconds * 5_000 + 30_000);
      const wall = (nowMs() - startedAt) / 1000;
      const cpu = [target.cpuSeconds(), await ctx.generator.cpuSeconds(), ctx.model.cpuSeconds()].map(
        (v, i) => v - cpu0[i],
      );
      const { latency: histogram } = await ctx.generator.report();
      await ctx.generator.close();
      return {
        histogram,
        p50: percentile(histogram, 0.5),
        p99: percentile(histogram, 0.99),
        p999: percentile(histogram, 0.999),
        max: histogram.at(-1)?.[0],
        samples: histogram.reduce((sum, [, n]) => sum + n, 0),
        lost: clients * (tokens + 1) - done.eventsSinceMark,
        serverCores: cpu[0] / wall,
        generatorCores: cpu[1] / wall,
        modelCores: cpu[2] / wall,
      };
    };
    const rows: ResultRow[] = [];
    const samples: Record<number, PerTarget<LatencySample[]>> = {};
    for (const [index, runs] of levels.entries()) {
      const level: PerTarget<LatencySample[]> = perTarget(ctx.targets, () => []);
      samples[runs] = level;
      for (let rep = 0; rep < reps; rep++) {
        for (const target of inTurn(rep, ctx.targets)) {
          const sample = await once(target, runs);
          ctx.log(
            `  ${runs} runs, ${target.name} rep ${rep + 1}: p50 ${sample.p50.toFixed(2)} ms, p99 ${sample.p99.toFixed(2)} ms, ` +
              `max ${sample.max?.toFixed(1)} ms; server ${sample.serverCores.toFixed(2)} cores, ` +
              `generator ${sample.generatorCores.toFixed(2)}, fake model ${sample.modelCores.toFixed(2)}`,
          );
          level[target.name].push(sample);
        }
      }
      type Figure = 'serverCores' | 'generatorCores' | 'modelCores';
      const each = (figure: (name: string) => number) => figures(ctx.targets, figure);
      const pick = (name: string, key: Figure) => median(level[name].map((s) => s[key]));
      // Percentiles of every rep's samples together; the spread shows how far the reps differ.
      const pooled = (fraction: number) =>
        each((name) => percentile(mergeHistograms(level[name].map((s) => s.histogram ?? [])), fraction));
      const spread = ctx.targets
        .map(({ name }) => {
          const values = level[name].map((s) => s.p99);
          return `${name} ${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
        })
        .join(', ');
      const load = `${runs}×${clientsPerRun}`;
      // The load (the first level) is held to the in-memory build, the lighter one to 10 ms.
      const p99Target =
        index === 0
          ? { vsMemory: 1.25, target: `each store ≤ 1.25× in memory (reps: ${spread})` }
          : { absolute: (v: number) => v <= 10, target: `≤ 10 ms (reps: ${spread})` };
      rows.push(
        row(`${load}: p50 (ms)`, pooled(0.5)),
        row(`${load}: p99 (ms)`, pooled(0.99), p99Target),
        row(`${load}: p99.9 (ms)`, pooled(0.999)),
        row(
          `${load}: server CPU busy (cores)`,
          each((name) => pick(name, 'serverCores')),
        ),
        row(
          `${load}: load generator + fake model CPU (cores)`,
          each((name) => pick(name, 'generatorCores') + pick(name, 'modelCores')),
          { target: `of ${ctx.machine.cores} cores` },
        ),
        row(
          `${load}: events lost`,
          each((name) => lost(level[name])),
          {
            absolute: (v) => v === 0,
            target: '0',
          },
        ),
      );
    }
    // The histograms served the pooled percentiles; the saved samples keep their own figures only.
    for (const level of Object.values(samples))
      for (const sample of Object.values(level).flat()) delete sample.histogram;
    return {
      summary:
        `runs × clients each, ${tokensPerSecond} tokens/s per run for ${seconds} s, from the fake model writing a token ` +
        `to a client reading it (the model's hop to the server included); percentiles over ${reps} reps, CPU their median`,
      rows,
      samples,
    };
  },
};

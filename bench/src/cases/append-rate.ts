import { nowMs } from '../clock.ts';
import { median } from '../statistics.ts';
import type { Target } from '../targets/target.ts';
import type { BenchCase } from './bench-case.ts';
import { FRAME_EVENTS, inTurn, type PerTarget, perTarget } from './in-turn.ts';
import { figures, row } from './result-row.ts';

interface AppendRateParams {
  /** Runs at once, one level after the other: one run's events commit a few at a time, many runs' in larger batches. */
  levels: number[];
  /** Events the runs of a level append in all. */
  events: number;
  reps: number;
}

interface AppendSample {
  runs: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  cpuPerMillion: number;
}

/**
 * The events per second the log stores (and so the store sustains) with nobody following: runs whose
 * model sends tokens as fast as it can, from the first start to the last run finished. The log
 * commits what was appended in one turn together, so one run commits a few events at a time and many
 * runs at once commit larger batches.
 */
export const appendRate: BenchCase<AppendRateParams> = {
  name: 'append-rate',
  env: { heartbeatMs: 15_000, retentionMs: 600_000 },
  params: (quick) =>
    quick ? { levels: [1, 20], events: 20_000, reps: 1 } : { levels: [1, 20], events: 100_000, reps: 3 },
  async run(ctx, { levels, events, reps }) {
    const once = async (target: Target, runs: number): Promise<AppendSample> => {
      const tokens = Math.round(events / runs) - FRAME_EVENTS;
      const cpu0 = target.cpuSeconds();
      const startedAt = nowMs();
      const started = await Promise.all(Array.from({ length: runs }, () => target.startRun({ tokens })));
      const stored = await Promise.all(started.map(({ id }) => target.finished(id, 600_000)));
      const seconds = (nowMs() - startedAt) / 1000;
      const total = stored.reduce((sum, n) => sum + n, 0);
      const cpu = target.cpuSeconds() - cpu0;
      return {
        runs,
        events: total,
        seconds,
        eventsPerSecond: total / seconds,
        cpuPerMillion: (cpu / total) * 1e6,
      };
    };
    for (const target of ctx.targets) await once(target, 1); // warm-up
    const samples: Record<number, PerTarget<AppendSample[]>> = {};
    for (const runs of levels) {
      const level: PerTarget<AppendSample[]> = perTarget(ctx.targets, () => []);
      samples[runs] = level;
      for (let rep = 0; rep < reps; rep++) {
        for (const target of inTurn(rep, ctx.targets)) {
          const sample = await once(target, runs);
          ctx.log(
            `  ${runs} runs, ${target.name} rep ${rep + 1}: ${Math.round(sample.eventsPerSecond)} events/s, ` +
              `${sample.cpuPerMillion.toFixed(1)} CPU s/M`,
          );
          level[target.name].push(sample);
        }
      }
    }
    const pick = (runs: number, key: 'eventsPerSecond' | 'cpuPerMillion') =>
      figures(ctx.targets, (name) => median(samples[runs][name].map((s) => s[key])));
    return {
      summary:
        `${events} events appended by runs whose model sends tokens as fast as it can, nobody following, ` +
        `from the first start to the last run finished (its events stored); median of ${reps}`,
      rows: levels.flatMap((runs) => [
        row(
          `${runs} run${runs === 1 ? '' : 's'} at once: events stored per second`,
          pick(runs, 'eventsPerSecond'),
          {
            target: 'higher is better',
          },
        ),
        row(
          `${runs} run${runs === 1 ? '' : 's'} at once: server CPU s per 1 M events`,
          pick(runs, 'cpuPerMillion'),
        ),
      ]),
      samples,
    };
  },
};

import { nowMs } from '../clock.ts';
import { median } from '../statistics.ts';
import type { Target } from '../targets/target.ts';
import type { BenchCase } from './bench-case.ts';
import { assertAllReady, fmt, FOLLOWING, inTurn, type PerTarget, perTarget } from './in-turn.ts';
import { figures, lost, row } from './result-row.ts';

interface FanOutParams {
  clients: number;
  tokens: number;
  reps: number;
}

interface FanOutSample {
  delivered: number;
  expected: number;
  seconds: number;
  eventsPerSecond: number;
  cpuSeconds: number;
  cpuPerMillion: number;
  generatorCpuSeconds: number;
  generatorCores: number;
  serverCores: number;
  errors: Record<string, number>;
}

/** Delivered events per second and server CPU per million events while one run fans out. */
export const fanOut: BenchCase<FanOutParams> = {
  name: 'fan-out',
  env: { heartbeatMs: 15_000, retentionMs: 60_000 },
  params: (quick) =>
    quick ? { clients: 200, tokens: 500, reps: 1 } : { clients: 1_000, tokens: 2_000, reps: 5 },
  async run(ctx, { clients, tokens, reps }) {
    const samples: PerTarget<FanOutSample[]> = perTarget(ctx.targets, () => []);
    const once = async (target: Target, n: number, t: number): Promise<FanOutSample> => {
      const run = await target.startRun({ tokens: t, hold: true });
      const opened = await ctx.generator.open([target.stream(run.id)], n, { readyEvents: FOLLOWING });
      assertAllReady(target, opened, n);
      await ctx.generator.mark();
      const [cpu0, generatorCpu0, startedAt] = [
        target.cpuSeconds(),
        await ctx.generator.cpuSeconds(),
        nowMs(),
      ];
      await ctx.model.release([run.key]);
      const done = await ctx.generator.wait(600_000);
      const [cpu, generatorCpu] = [
        target.cpuSeconds() - cpu0,
        (await ctx.generator.cpuSeconds()) - generatorCpu0,
      ];
      await ctx.generator.close();
      const expected = n * (t + 1);
      const seconds = (done.lastEndedAt - startedAt) / 1000;
      return {
        delivered: done.eventsSinceMark,
        expected,
        seconds,
        eventsPerSecond: done.eventsSinceMark / seconds,
        cpuSeconds: cpu,
        cpuPerMillion: (cpu / done.eventsSinceMark) * 1e6,
        generatorCpuSeconds: generatorCpu,
        generatorCores: generatorCpu / seconds,
        serverCores: cpu / seconds,
        errors: done.errors,
      };
    };
    for (const target of ctx.targets) await once(target, Math.min(clients, 200), 200); // warm-up
    for (let rep = 0; rep < reps; rep++) {
      for (const target of inTurn(rep, ctx.targets)) {
        const sample = await once(target, clients, tokens);
        ctx.log(
          `  ${target.name} rep ${rep + 1}: ${fmt(sample.eventsPerSecond)} events/s, ${sample.cpuPerMillion.toFixed(2)} CPU s/M, ` +
            `generator ${sample.generatorCores.toFixed(2)} cores, ${sample.delivered}/${sample.expected} delivered`,
        );
        samples[target.name].push(sample);
      }
    }
    const pick = (key: 'eventsPerSecond' | 'cpuPerMillion' | 'serverCores' | 'generatorCores') =>
      figures(ctx.targets, (name) => median(samples[name].map((s) => s[key])));
    return {
      summary: `${clients} clients on one run, ${tokens} token events as fast as the model sends them; median of ${reps}`,
      rows: [
        row('delivered events/s', pick('eventsPerSecond'), {
          higherIsBetter: true,
          vsRaw: 0.8,
          vsMemory: 0.8,
          target: 'in memory ≥ 0.8× raw; each store ≥ 0.8× in memory',
        }),
        row('server CPU s per 1 M events', pick('cpuPerMillion'), {
          vsMemory: 1.3,
          target: 'each store ≤ 1.3× in memory (every server process summed)',
        }),
        row('server CPU busy (cores)', pick('serverCores')),
        row('load generator CPU (cores)', pick('generatorCores'), {
          target: `of ${ctx.machine.cores} cores`,
        }),
        row(
          'events lost',
          figures(ctx.targets, (name) => lost(samples[name])),
          { absolute: (v) => v === 0, target: '0' },
        ),
      ],
      samples,
    };
  },
};

import type { ConnectionTiming } from '../load/protocol.ts';
import { median } from '../statistics.ts';
import type { StartedRun, Target } from '../targets/target.ts';
import type { BenchCase } from './bench-case.ts';
import { FRAME_EVENTS, inTurn, type PerTarget } from './in-turn.ts';
import { row } from './result-row.ts';

interface ResumeParams {
  /** Events in the finished run resumed into. */
  events: number;
  samples: number;
  /** Clients resuming at once. */
  burst: number;
}

/** A client resuming with Last-Event-ID into a long finished run: first replayed event, caught up. */
export const resume: BenchCase<ResumeParams> = {
  name: 'resume',
  env: { heartbeatMs: 15_000, retentionMs: 600_000 },
  params: (quick) =>
    quick ? { events: 2_000, samples: 5, burst: 20 } : { events: 10_000, samples: 20, burst: 100 },
  async run(ctx, { events, samples, burst }) {
    const runs: Partial<PerTarget<StartedRun>> = {};
    for (const target of inTurn(0, ctx.targets)) {
      const run = await target.startRun({ tokens: events - FRAME_EVENTS });
      const lastEventId = await target.finished(run.id);
      if (lastEventId !== events)
        throw new Error(`${target.name}: the run has ${lastEventId} events, not ${events}`);
      runs[target.name] = run;
    }
    const lone: PerTarget<ConnectionTiming[]> = { api: [], raw: [] };
    const resumeFrom = (target: Target, n: number) =>
      ctx.generator.open([target.stream(runs[target.name]?.id ?? '', { 'Last-Event-ID': '1' })], n);
    for (let i = 0; i < samples + 2; i++) {
      for (const target of inTurn(i, ctx.targets)) {
        await resumeFrom(target, 1);
        const [timing] = (await ctx.generator.wait(60_000)).timings;
        await ctx.generator.close();
        if (i >= 2) lone[target.name].push(timing); // the first two warm up
      }
    }
    const herd: PerTarget<ConnectionTiming[]> = { api: [], raw: [] };
    for (const target of inTurn(1, ctx.targets)) {
      await resumeFrom(target, burst);
      herd[target.name] = (await ctx.generator.wait(120_000)).timings;
      await ctx.generator.close();
    }
    type Timings = ConnectionTiming[];
    const after = (at: number | undefined, t: ConnectionTiming) => (at ?? NaN) - t.startedAt;
    const first = (timings: Timings) => median(timings.map((t) => after(t.firstEventAt, t)));
    const caughtUp = (timings: Timings) => median(timings.map((t) => after(t.endedAt, t)));
    const lastCaughtUp = (timings: Timings) => Math.max(...timings.map((t) => after(t.endedAt, t)));
    const complete = (timings: Timings) => timings.every((t) => t.events === events - 1);
    if (!complete([...lone.api, ...herd.api, ...lone.raw, ...herd.raw]))
      ctx.log('  some resumed clients missed events');
    return {
      summary: `Last-Event-ID: 1 into a finished ${events}-event run: one client at a time (median of ${samples}), then ${burst} at once`,
      rows: [
        row('one client: first replayed event (ms)', first(lone.api), first(lone.raw)),
        row('one client: caught up (ms)', caughtUp(lone.api), caughtUp(lone.raw)),
        row(`${burst} at once: median caught up (ms)`, caughtUp(herd.api), caughtUp(herd.raw)),
        row(`${burst} at once: last caught up (ms)`, lastCaughtUp(herd.api), lastCaughtUp(herd.raw)),
        row(
          'every client got every event (by count)',
          complete([...lone.api, ...herd.api]) ? 1 : 0,
          complete([...lone.raw, ...herd.raw]) ? 1 : 0,
          {
            absoluteTarget: (v) => v === 1,
            target: 'yes (1)',
          },
        ),
      ],
      samples: { lone, herd },
    };
  },
};

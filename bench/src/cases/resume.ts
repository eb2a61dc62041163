import type { ConnectionTiming } from '../load/protocol.ts';
import { median } from '../statistics.ts';
import type { StartedRun, Target } from '../targets/target.ts';
import type { BenchCase } from './bench-case.ts';
import { fmt, FRAME_EVENTS, inTurn, type PerTarget, perTarget } from './in-turn.ts';
import { figures, row } from './result-row.ts';

interface ResumeParams {
  /** Events in the finished run resumed into. */
  events: number;
  /**
   * Events of the runs finished after it, enough to push it out of the frames the API keeps of
   * recently finished runs (16 MiB): the resumes read it from the store.
   */
  laterEvents: number;
  samples: number;
  /** Clients resuming at once. */
  burst: number;
}

/** The runs after the resumed one: this many at once, each of `laterEvents / LATER_RUNS` events. */
const LATER_RUNS = 10;

/** A client resuming with Last-Event-ID into a long finished run read from the store: first replayed event, caught up. */
export const resume: BenchCase<ResumeParams> = {
  name: 'resume',
  env: { heartbeatMs: 15_000, retentionMs: 600_000 },
  params: (quick) =>
    quick
      ? { events: 2_000, laterEvents: 150_000, samples: 5, burst: 20 }
      : { events: 10_000, laterEvents: 150_000, samples: 20, burst: 100 },
  async run(ctx, { events, laterEvents, samples, burst }) {
    const runs: PerTarget<StartedRun> = {};
    for (const target of inTurn(0, ctx.targets)) {
      const run = await target.startRun({ tokens: events - FRAME_EVENTS });
      const lastEventId = await target.finished(run.id);
      if (lastEventId !== events)
        throw new Error(`${target.name}: the run has ${lastEventId} events, not ${events}`);
      runs[target.name] = run;
      const later = await Promise.all(
        Array.from({ length: LATER_RUNS }, () => target.startRun({ tokens: laterEvents / LATER_RUNS })),
      );
      for (const { id } of later) await target.finished(id);
    }
    const lone: PerTarget<ConnectionTiming[]> = perTarget(ctx.targets, () => []);
    const resumeFrom = (target: Target, n: number) =>
      ctx.generator.open([target.stream(runs[target.name].id, { 'Last-Event-ID': '1' })], n);
    for (let i = 0; i < samples + 2; i++) {
      for (const target of inTurn(i, ctx.targets)) {
        await resumeFrom(target, 1);
        const [timing] = (await ctx.generator.wait(60_000)).timings;
        await ctx.generator.close();
        if (i >= 2) lone[target.name].push(timing); // the first two warm up
      }
    }
    const herd: PerTarget<ConnectionTiming[]> = perTarget(ctx.targets, () => []);
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
    const each = (figure: (timings: Timings) => number, of: PerTarget<Timings>) =>
      figures(ctx.targets, (name) => figure(of[name]));
    const everyEvent = figures(ctx.targets, (name) => (complete([...lone[name], ...herd[name]]) ? 1 : 0));
    if (Object.values(everyEvent).includes(0)) ctx.log('  some resumed clients missed events');
    return {
      summary:
        `Last-Event-ID: 1 into a finished ${events}-event run, read from the store (${fmt(laterEvents)} events of later runs ` +
        `since): one client at a time (median of ${samples}), then ${burst} at once`,
      rows: [
        row('one client: first replayed event (ms)', each(first, lone), {
          absolute: (v) => v <= 20,
          target: '≤ 20 ms',
        }),
        row('one client: caught up (ms)', each(caughtUp, lone), {
          absolute: (v) => v <= 200,
          target: '≤ 200 ms',
        }),
        row(`${burst} at once: median caught up (ms)`, each(caughtUp, herd)),
        row(`${burst} at once: last caught up (ms)`, each(lastCaughtUp, herd)),
        row('every client got every event (by count)', everyEvent, {
          absolute: (v) => v === 1,
          target: 'yes (1)',
        }),
      ],
      samples: { lone, herd },
    };
  },
};

import { nowMs, sleep } from '../clock.ts';
import type { BenchCase } from './bench-case.ts';
import { FOLLOWING, inTurn, type PerTarget } from './in-turn.ts';
import { sampleRss } from './memory.ts';
import { figures, row } from './result-row.ts';

interface OpenStreamsParams {
  streams: number;
  perRun: number;
  holdMs: number;
}

interface HeldStreams {
  requested: number;
  capacity: number;
  held: number;
  openSeconds: number;
  rssBefore: number;
  rssAfter: number;
  bytesPerStream: number;
  bytesPerStreamNoGc: number;
  heapPerStream: number;
  heartbeatsPerStream: number;
  errors: Record<string, number>;
}

const ENV = { heartbeatMs: 1_000, retentionMs: 60_000, exposeGc: true };

/** Idle streams held open with heartbeats flowing: how many, and resident memory per stream. */
export const openStreams: BenchCase<OpenStreamsParams> = {
  name: 'open-streams',
  env: ENV,
  params: (quick) =>
    quick
      ? { streams: 2_000, perRun: 500, holdMs: 3_000 }
      : { streams: 20_000, perRun: 1_000, holdMs: 6_000 },
  async run(ctx, { streams, perRun, holdMs }) {
    const results: PerTarget<HeldStreams> = {};
    for (const target of inTurn(0, ctx.targets)) {
      const runs = await Promise.all(
        Array.from({ length: Math.ceil(streams / perRun) }, () => target.startRun({ tokens: 1, hold: true })),
      );
      // A stream takes a descriptor in the server, besides those it holds already (listening socket,
      // the model's requests, …), and one in a load worker; a few are kept for what the server opens meanwhile.
      const capacity = Math.min(
        target.fdLimit - target.openFds() - 16,
        ctx.generator.workerCount * (ctx.generator.fdLimit - 64),
      );
      const count = Math.min(streams, capacity);
      const streamTargets = runs.map((run) => target.stream(run.id));
      await ctx.generator.open(streamTargets, Math.min(count, 1_000), { readyEvents: FOLLOWING }); // warm-up
      await ctx.generator.close();
      await sleep(2_000);
      const heapBefore = await target.gc();
      const before = await sampleRss(target, 5, 200);
      const startedAt = nowMs();
      const opened = await ctx.generator.open(streamTargets, count, { readyEvents: FOLLOWING });
      const openSeconds = (nowMs() - startedAt) / 1000;
      await ctx.generator.mark();
      const heartbeats0 = (await ctx.generator.report()).heartbeats;
      await sleep(holdMs);
      const held = await ctx.generator.report();
      const afterNoGc = await sampleRss(target, 5, 200);
      const heapAfter = await target.gc();
      const after = await sampleRss(target, 5, 200);
      const perStream = (after - before) / Math.max(1, held.open);
      const measured: HeldStreams = {
        requested: streams,
        capacity,
        held: held.open,
        openSeconds,
        rssBefore: before,
        rssAfter: after,
        bytesPerStream: perStream,
        bytesPerStreamNoGc: (afterNoGc - before) / Math.max(1, held.open),
        heapPerStream: (heapAfter.heapUsed - heapBefore.heapUsed) / Math.max(1, held.open),
        heartbeatsPerStream: (held.heartbeats - heartbeats0) / Math.max(1, held.ready),
        errors: { ...opened.errors, ...held.errors },
      };
      results[target.name] = measured;
      ctx.log(
        `  ${target.name}: ${measured.held} streams held (cap ${capacity}), ` +
          `${(perStream / 1024).toFixed(1)} KB RSS each, ${measured.heartbeatsPerStream.toFixed(1)} heartbeats each in ${holdMs} ms`,
      );
      await ctx.model.release(runs.map((run) => run.key));
      await ctx.generator.close();
    }
    const each = (figure: (held: HeldStreams) => number) =>
      figures(ctx.targets, (name) => figure(results[name]));
    const fewest = Math.min(...Object.values(results).map((r) => r.held));
    return {
      summary:
        `idle streams over ${Math.ceil(fewest / perRun)} runs, heartbeat every ${ENV.heartbeatMs} ms, held ${holdMs / 1000} s; ` +
        'VmRSS growth per stream after a full GC (and before it)',
      rows: [
        row(
          'streams held open',
          each((r) => r.held),
          {
            higherIsBetter: true,
            absolute: (v) => v >= 20_000,
            target: '≥ 20,000',
          },
        ),
        row(
          'streams the open-file limit left room for',
          each((r) => r.capacity),
          {
            target: `limit ${ctx.machine.fdHardLimit} per process`,
          },
        ),
        row(
          'RSS per stream (KB)',
          each((r) => r.bytesPerStream / 1024),
          {
            absolute: (v) => v <= 16,
            target: '≤ 16 KB',
          },
        ),
        row(
          'RSS per stream before GC (KB)',
          each((r) => r.bytesPerStreamNoGc / 1024),
        ),
        row(
          'of which V8 heap per stream (KB)',
          each((r) => r.heapPerStream / 1024),
        ),
        row(
          'heartbeats per stream while held',
          each((r) => r.heartbeatsPerStream),
          {
            target: `≈ ${(holdMs / ENV.heartbeatMs).toFixed(0)}`,
          },
        ),
        row(
          'time to open them all (s)',
          each((r) => r.openSeconds),
        ),
      ],
      samples: results,
    };
  },
};

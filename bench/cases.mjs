// The five cases of issue 6. Each runs the same steps against the API and the raw server, in
// alternating order, and answers the figures of both. `ctx` (from run.mjs) holds the targets, the
// fake model and the load generator.
import { mergeHistograms, percentile } from './load-generator.mjs';

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
/**
 * The targets in turn: rep 0 measures the API first, rep 1 the raw server first, and so on. The
 * servers share a core, so the one not measured is stopped meanwhile.
 */
async function* inTurn(rep, targets) {
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
/** Events every bench run has besides its tokens: `status` queued and drafting, then `complete`. */
const FRAME_EVENTS = 3;
/** A client is following once it has the retry hint and the two `status` events. */
const FOLLOWING = 3;

/** Delivered events per second and server CPU per million events while one run fans out. */
export const fanOut = {
  name: 'fan-out',
  env: { heartbeatMs: 15_000, retentionMs: 60_000 },
  params: (quick) =>
    quick ? { clients: 200, tokens: 500, reps: 1 } : { clients: 1_000, tokens: 2_000, reps: 5 },
  async run(ctx, { clients, tokens, reps }) {
    const samples = { api: [], raw: [] };
    const once = async (target, n, t) => {
      const run = await target.startRun({ tokens: t, hold: true });
      const opened = await ctx.generator.open([target.stream(run.id)], n, { readyMessages: FOLLOWING });
      assertAll(target, opened, n, 'ready');
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
    for (const target of [ctx.targets.api, ctx.targets.raw]) await once(target, Math.min(clients, 200), 200); // warm-up
    for (let rep = 0; rep < reps; rep++) {
      for await (const target of inTurn(rep, ctx.targets)) {
        const sample = await once(target, clients, tokens);
        ctx.log(
          `  ${target.name} rep ${rep + 1}: ${fmt(sample.eventsPerSecond)} events/s, ${sample.cpuPerMillion.toFixed(2)} CPU s/M, ` +
            `generator ${sample.generatorCores.toFixed(2)} cores, ${sample.delivered}/${sample.expected} delivered`,
        );
        samples[target.name].push(sample);
      }
    }
    const pick = (name, key) => median(samples[name].map((s) => s[key]));
    return {
      summary: `${clients} clients on one run, ${tokens} token events as fast as the model sends them; median of ${reps}`,
      rows: [
        row('delivered events/s', pick('api', 'eventsPerSecond'), pick('raw', 'eventsPerSecond'), {
          higherIsBetter: true,
          ratioTarget: 0.8,
          target: 'API ≥ 0.8× raw',
        }),
        row('server CPU s per 1 M events', pick('api', 'cpuPerMillion'), pick('raw', 'cpuPerMillion'), {
          target: 'lower is better',
        }),
        row('server CPU busy (cores)', pick('api', 'serverCores'), pick('raw', 'serverCores')),
        row('load generator CPU (cores)', pick('api', 'generatorCores'), pick('raw', 'generatorCores'), {
          target: `of ${ctx.machine.cores} cores`,
        }),
        row('events lost', lost(samples.api), lost(samples.raw), {
          absoluteTarget: (v) => v === 0,
          target: '0',
        }),
      ],
      samples,
    };
  },
};

/** Idle streams held open with heartbeats flowing: how many, and resident memory per stream. */
export const openStreams = {
  name: 'open-streams',
  env: { heartbeatMs: 1_000, retentionMs: 60_000, exposeGc: true },
  params: (quick) =>
    quick
      ? { streams: 2_000, perRun: 500, holdMs: 3_000 }
      : { streams: 20_000, perRun: 1_000, holdMs: 6_000 },
  async run(ctx, { streams, perRun, holdMs }) {
    const results = {};
    for await (const target of inTurn(0, ctx.targets)) {
      const runs = await Promise.all(
        Array.from({ length: Math.ceil(streams / perRun) }, () => target.startRun({ tokens: 1, hold: true })),
      );
      // A stream takes a descriptor in the server, besides those it holds already (listening socket,
      // the model's requests, …), and one in a load worker; a few are kept for what the server opens meanwhile.
      const capacity = Math.min(
        target.fdLimit - target.openFds() - 16,
        ctx.generator.workers.length * (ctx.generator.fdLimit - 64),
      );
      const count = Math.min(streams, capacity);
      const streamTargets = runs.map((run) => target.stream(run.id));
      await ctx.generator.open(streamTargets, Math.min(count, 1_000), { readyMessages: FOLLOWING }); // warm-up
      await ctx.generator.close();
      await sleep(2_000);
      const heapBefore = await target.gc();
      const before = await sampleRss(target, 5, 200);
      const startedAt = nowMs();
      const opened = await ctx.generator.open(streamTargets, count, { readyMessages: FOLLOWING });
      const openSeconds = (nowMs() - startedAt) / 1000;
      await ctx.generator.mark();
      const heartbeats0 = (await ctx.generator.report()).heartbeats;
      await sleep(holdMs);
      const held = await ctx.generator.report();
      const afterNoGc = await sampleRss(target, 5, 200);
      const heapAfter = await target.gc();
      const after = await sampleRss(target, 5, 200);
      const perStream = (after - before) / Math.max(1, held.open);
      results[target.name] = {
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
      ctx.log(
        `  ${target.name}: ${results[target.name].held} streams held (cap ${capacity}), ` +
          `${(perStream / 1024).toFixed(1)} KB RSS each, ${results[target.name].heartbeatsPerStream.toFixed(1)} heartbeats each in ${holdMs} ms`,
      );
      await ctx.model.release(runs.map((run) => run.key));
      await ctx.generator.close();
    }
    const { api, raw } = results;
    return {
      summary:
        `idle streams over ${Math.ceil(api.held / perRun)} runs, heartbeat every ${this.env.heartbeatMs} ms, held ${holdMs / 1000} s; ` +
        'VmRSS growth per stream after a full GC (and before it)',
      rows: [
        row('streams held open', api.held, raw.held, {
          higherIsBetter: true,
          absoluteTarget: (v) => v >= 20_000,
          target: '≥ 20,000',
        }),
        row('streams the open-file limit left room for', api.capacity, raw.capacity, {
          target: `limit ${ctx.machine.fdHardLimit} per process`,
        }),
        row('RSS per stream (KB)', api.bytesPerStream / 1024, raw.bytesPerStream / 1024, {
          absoluteTarget: (v) => v <= 16,
          target: '≤ 16 KB',
        }),
        row('RSS per stream before GC (KB)', api.bytesPerStreamNoGc / 1024, raw.bytesPerStreamNoGc / 1024),
        row('of which V8 heap per stream (KB)', api.heapPerStream / 1024, raw.heapPerStream / 1024),
        row('heartbeats per stream while held', api.heartbeatsPerStream, raw.heartbeatsPerStream, {
          target: `≈ ${(holdMs / this.env.heartbeatMs).toFixed(0)}`,
        }),
        row('time to open them all (s)', api.openSeconds, raw.openSeconds),
      ],
      samples: results,
    };
  },
};

/**
 * Emit-to-receive latency with many paced runs, each followed by a few clients: at the load,
 * then at a fifth of it, which leaves this machine's cores some room.
 */
export const latency = {
  name: 'latency',
  env: { heartbeatMs: 15_000, retentionMs: 60_000 },
  params: (quick) =>
    quick
      ? { levels: [20, 4], clientsPerRun: 10, tokensPerSecond: 50, seconds: 4, reps: 1 }
      : { levels: [100, 20], clientsPerRun: 10, tokensPerSecond: 50, seconds: 20, reps: 2 },
  async run(ctx, { levels, clientsPerRun, tokensPerSecond, seconds, reps }) {
    const intervalMs = 1000 / tokensPerSecond;
    const tokens = tokensPerSecond * seconds;
    const once = async (target, runs) => {
      const started = await Promise.all(
        Array.from({ length: runs }, () => target.startRun({ tokens, intervalMs, hold: true })),
      );
      const clients = runs * clientsPerRun;
      const opened = await ctx.generator.open(
        started.map((run) => target.stream(run.id)),
        clients,
        {
          mode: 'latency',
          readyMessages: FOLLOWING,
        },
      );
      assertAll(target, opened, clients, 'ready');
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
    const rows = [];
    const samples = {};
    for (const runs of levels) {
      const level = (samples[runs] = { api: [], raw: [] });
      for (let rep = 0; rep < reps; rep++) {
        for await (const target of inTurn(rep, ctx.targets)) {
          const sample = await once(target, runs);
          ctx.log(
            `  ${runs} runs, ${target.name} rep ${rep + 1}: p50 ${sample.p50.toFixed(2)} ms, p99 ${sample.p99.toFixed(2)} ms, ` +
              `max ${sample.max?.toFixed(1)} ms; server ${sample.serverCores.toFixed(2)} cores, ` +
              `generator ${sample.generatorCores.toFixed(2)}, fake model ${sample.modelCores.toFixed(2)}`,
          );
          level[target.name].push(sample);
        }
      }
      const pick = (name, key) => median(level[name].map((s) => s[key]));
      // Percentiles of every rep's samples together; the spread shows how far the reps differ.
      const pooled = (name, fraction) =>
        percentile(mergeHistograms(level[name].map((s) => s.histogram)), fraction);
      const spread = (name, key) => {
        const values = level[name].map((s) => s[key]);
        return `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
      };
      const load = `${runs}×${clientsPerRun}`;
      rows.push(
        row(`${load}: p50 (ms)`, pooled('api', 0.5), pooled('raw', 0.5)),
        row(`${load}: p99 (ms)`, pooled('api', 0.99), pooled('raw', 0.99), {
          absoluteTarget: (v) => v <= 10,
          target: `≤ 10 ms (reps: API ${spread('api', 'p99')}, raw ${spread('raw', 'p99')})`,
        }),
        row(`${load}: p99.9 (ms)`, pooled('api', 0.999), pooled('raw', 0.999)),
        row(`${load}: server CPU busy (cores)`, pick('api', 'serverCores'), pick('raw', 'serverCores')),
        row(
          `${load}: load generator + fake model CPU (cores)`,
          pick('api', 'generatorCores') + pick('api', 'modelCores'),
          pick('raw', 'generatorCores') + pick('raw', 'modelCores'),
          { target: `of ${ctx.machine.cores} cores` },
        ),
        row(`${load}: events lost`, lost(level.api), lost(level.raw), {
          absoluteTarget: (v) => v === 0,
          target: '0',
        }),
      );
    }
    // The histograms served the pooled percentiles; the saved samples keep their own figures only.
    for (const level of Object.values(samples))
      for (const sample of [...level.api, ...level.raw]) delete sample.histogram;
    return {
      summary:
        `runs × clients each, ${tokensPerSecond} tokens/s per run for ${seconds} s, from the fake model writing a token ` +
        `to a client reading it (the model's hop to the server included); percentiles over ${reps} reps, CPU their median`,
      rows,
      samples,
    };
  },
};

/** A client resuming with Last-Event-ID into a long finished run: first replayed event, caught up. */
export const resume = {
  name: 'resume',
  env: { heartbeatMs: 15_000, retentionMs: 600_000 },
  params: (quick) =>
    quick ? { events: 2_000, samples: 5, burst: 20 } : { events: 10_000, samples: 20, burst: 100 },
  async run(ctx, { events, samples, burst }) {
    const runs = {};
    for await (const target of inTurn(0, ctx.targets)) {
      const run = await target.startRun({ tokens: events - FRAME_EVENTS });
      const lastEventId = await target.finished(run.id);
      if (lastEventId !== events)
        throw new Error(`${target.name}: the run has ${lastEventId} events, not ${events}`);
      runs[target.name] = run;
    }
    const lone = { api: [], raw: [] };
    const resumeFrom = (target, n) =>
      ctx.generator.open([target.stream(runs[target.name].id, { 'Last-Event-ID': '1' })], n);
    for (let i = 0; i < samples + 2; i++) {
      for await (const target of inTurn(i, ctx.targets)) {
        await resumeFrom(target, 1);
        const [timing] = (await ctx.generator.wait(60_000)).timings;
        await ctx.generator.close();
        if (i >= 2) lone[target.name].push(timing); // the first two warm up
      }
    }
    const herd = {};
    for await (const target of inTurn(1, ctx.targets)) {
      await resumeFrom(target, burst);
      herd[target.name] = (await ctx.generator.wait(120_000)).timings;
      await ctx.generator.close();
    }
    const first = (timings) => median(timings.map((t) => t.firstEventAt - t.startedAt));
    const caughtUp = (timings) => median(timings.map((t) => t.endedAt - t.startedAt));
    const lastCaughtUp = (timings) => Math.max(...timings.map((t) => t.endedAt - t.startedAt));
    const complete = (timings) => timings.every((t) => t.events === events - 1);
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

/** Resident memory after many completed runs, once their retention has expired. */
export const retention = {
  name: 'retention',
  // Retention outlasts starting all the runs (~18 s for the API's 10,000), so every one is held when measured.
  env: { heartbeatMs: 15_000, retentionMs: 30_000, exposeGc: true },
  params: (quick) =>
    quick
      ? { runs: 1_000, tokens: 20, concurrency: 20, settleMs: 10_000 }
      : { runs: 10_000, tokens: 20, concurrency: 20, settleMs: 15_000 },
  async run(ctx, { runs, tokens, concurrency, settleMs }) {
    const results = {};
    for await (const target of inTurn(0, ctx.targets)) {
      const startRuns = async (n) => {
        const ids = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < n) {
              next++;
              ids.push((await target.startRun({ tokens })).id);
            }
          }),
        );
        for (const id of ids.slice(-concurrency * 2)) await target.finished(id);
        return ids;
      };
      // Warm-up, forgotten before the baseline, which settles as long as the figures after retention do.
      await startRuns(Math.min(runs, 500));
      await sleep(this.env.retentionMs + settleMs);
      const heapAtBaseline = await target.gc();
      const baseline = await sampleRss(target, 5, 200);
      let peak = baseline;
      const watch = setInterval(() => (peak = Math.max(peak, target.rssBytes())), 250);
      const startedAt = nowMs();
      const ids = await startRuns(runs);
      const runsPerSecond = runs / ((nowMs() - startedAt) / 1000);
      const heapRetained = await target.gc();
      const full = await sampleRss(target, 3, 100);
      clearInterval(watch);
      if (!(await target.knows(ids[0])))
        throw new Error(
          `${target.name} forgot the first run before all ${runs} were measured; raise retentionMs`,
        );
      await sleep(this.env.retentionMs + settleMs);
      const afterNoGc = await sampleRss(target, 5, 200);
      const heapAfter = await target.gc();
      const after = await sampleRss(target, 5, 200);
      const stillKnown = (await Promise.all(ids.slice(-50).map((id) => target.knows(id)))).filter(
        Boolean,
      ).length;
      // A second round: memory that only a leak holds grows again; the allocator's high-water mark does not.
      await startRuns(runs);
      await sleep(this.env.retentionMs + settleMs);
      await target.gc();
      const afterSecond = await sampleRss(target, 5, 200);
      results[target.name] = {
        baseline,
        peak,
        full,
        afterNoGc,
        after,
        afterSecond,
        runsPerSecond,
        stillKnown,
        heapAtBaseline,
        heapRetained,
        heapAfter,
      };
      ctx.log(
        `  ${target.name}: baseline ${mb(baseline)} MB, ${runs} runs retained ${mb(full)} MB (peak ${mb(peak)}), ` +
          `after retention ${mb(afterNoGc)} MB, after a full GC ${mb(after)} MB, after a second round ${mb(afterSecond)} MB, ` +
          `${runsPerSecond.toFixed(0)} runs/s; ` +
          `heap used ${mb(heapAtBaseline.heapUsed)} → ${mb(heapRetained.heapUsed)} → ${mb(heapAfter.heapUsed)} MB, ` +
          `array buffers ${mb(heapAtBaseline.arrayBuffers)} → ${mb(heapRetained.arrayBuffers)} → ${mb(heapAfter.arrayBuffers)} MB`,
      );
    }
    const { api, raw } = results;
    const growthKept = ({ baseline, full, after }) => (after - baseline) / Math.max(1, full - baseline);
    const heapKept = ({ heapAtBaseline, heapRetained, heapAfter }) =>
      (heapAfter.heapUsed - heapAtBaseline.heapUsed) /
      Math.max(1, heapRetained.heapUsed - heapAtBaseline.heapUsed);
    const secondRoundGrowth = ({ baseline, full, after, afterSecond }) =>
      (afterSecond - after) / Math.max(1, full - baseline);
    return {
      summary:
        `${runs} completed runs of ${tokens + FRAME_EVENTS} events, retention ${this.env.retentionMs / 1000} s, ` +
        `VmRSS ${settleMs / 1000} s after it expired (the baseline as long after a warm-up), then a second round the same; ` +
        'figures after a full GC (--expose-gc, asked by the bench over IPC) unless they say otherwise',
      rows: [
        row('RSS baseline (MB)', mb(api.baseline), mb(raw.baseline)),
        row(`RSS peak while ${runs} runs ran, before GC (MB)`, mb(api.peak), mb(raw.peak)),
        row(`RSS with ${runs} runs retained (MB)`, mb(api.full), mb(raw.full)),
        row('RSS after retention, before GC (MB)', mb(api.afterNoGc), mb(raw.afterNoGc)),
        row('RSS after retention (MB)', mb(api.after), mb(raw.after)),
        row('RSS growth still held after retention', growthKept(api), growthKept(raw), {
          absoluteTarget: (v) => v <= 0.1,
          target: '≤ 10% of the growth',
        }),
        row('RSS after a second round and its retention (MB)', mb(api.afterSecond), mb(raw.afterSecond)),
        row('RSS growth a second round added', secondRoundGrowth(api), secondRoundGrowth(raw)),
        row('V8 heap used: baseline (MB)', mb(api.heapAtBaseline.heapUsed), mb(raw.heapAtBaseline.heapUsed)),
        row(
          `V8 heap used: ${runs} runs retained (MB)`,
          mb(api.heapRetained.heapUsed),
          mb(raw.heapRetained.heapUsed),
        ),
        row('V8 heap used: after retention (MB)', mb(api.heapAfter.heapUsed), mb(raw.heapAfter.heapUsed)),
        row('V8 heap growth still held after retention', heapKept(api), heapKept(raw), {
          absoluteTarget: (v) => v <= 0.1,
          target: '≤ 10% of the growth',
        }),
        row('runs still known after retention', api.stillKnown, raw.stillKnown, {
          absoluteTarget: (v) => v === 0,
          target: '0',
        }),
        row('runs completed per second', api.runsPerSecond, raw.runsPerSecond),
      ],
      samples: results,
    };
  },
};

export const CASES = [fanOut, openStreams, latency, resume, retention];

function row(metric, api, raw, { higherIsBetter, ratioTarget, absoluteTarget, target = '' } = {}) {
  const ratio = raw ? api / raw : NaN;
  let met;
  if (ratioTarget !== undefined) met = higherIsBetter ? ratio >= ratioTarget : ratio <= ratioTarget;
  if (absoluteTarget) met = absoluteTarget(api);
  return { metric, api, raw, ratio, target, met };
}

function lost(samples) {
  return samples.reduce((sum, s) => sum + (s.lost ?? s.expected - s.delivered), 0);
}

function assertAll(target, opened, n, what) {
  if (opened.ready !== n) {
    throw new Error(
      `${target.name}: only ${opened.ready} of ${n} connections got ${what}: ` +
        `${JSON.stringify(opened.statuses)} ${JSON.stringify(opened.errors)}`,
    );
  }
}

async function sampleRss(target, count, everyMs) {
  const values = [];
  for (let i = 0; i < count; i++) {
    values.push(target.rssBytes());
    await sleep(everyMs);
  }
  return median(values);
}

function mb(bytes) {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

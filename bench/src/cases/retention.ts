import { nowMs, sleep } from '../clock.ts';
import type { BenchCase } from './bench-case.ts';
import { FRAME_EVENTS, inTurn, type PerTarget } from './in-turn.ts';
import type { ResidentMemory } from '../processes/proc-stats.ts';
import { mb, sampleRss } from './memory.ts';
import { figures, row } from './result-row.ts';

interface RetentionParams {
  runs: number;
  tokens: number;
  /** Runs started at once. */
  concurrency: number;
  /** How long after retention expires memory is read. */
  settleMs: number;
}

interface RetainedMemory {
  baseline: number;
  peak: number;
  full: number;
  afterNoGc: number;
  after: number;
  afterSecond: number;
  runsPerSecond: number;
  stillKnown: number;
  heapAtBaseline: NodeJS.MemoryUsage;
  heapRetained: NodeJS.MemoryUsage;
  heapAfter: NodeJS.MemoryUsage;
  residentAtBaseline: ResidentMemory;
  residentRetained: ResidentMemory;
  residentAfter: ResidentMemory;
}

/** Where the resident memory is (/proc/<pid>/smaps), to tell V8's pages from malloc's and freed pages not yet taken back. */
const RESIDENT_KINDS: readonly (readonly [keyof ResidentMemory, string])[] = [
  ['mallocHeap', "RSS in glibc's main heap"],
  ['v8Pages', "RSS in V8's heap pages (256 KiB mappings, pooled ones too)"],
  ['anonymous', 'RSS in other anonymous mappings (arenas, large objects)'],
  ['files', 'RSS of mapped files'],
  ['lazyFree', 'RSS freed lazily (MADV_FREE), not yet reclaimed'],
];

const inMb = (resident: ResidentMemory): string =>
  RESIDENT_KINDS.map(([kind]) => `${kind} ${mb(resident[kind])}`).join(', ') + ' MB';

/** process.memoryUsage() beside heapUsed, to tell V8's committed pages from memory outside its heap. */
const MEMORY_USAGE_FIELDS: readonly (readonly [keyof NodeJS.MemoryUsage, string])[] = [
  ['heapTotal', 'V8 heap committed'],
  ['external', 'V8 external (buffers, native objects)'],
  ['arrayBuffers', 'of which array buffers'],
];

// Retention outlasts starting all the runs (~60 s for 10,000 on the embedded store, 166 runs/s), so every one is held when measured.
const ENV = { heartbeatMs: 15_000, retentionMs: 90_000, exposeGc: true };

/** Resident memory after many completed runs, once their retention has expired. */
export const retention: BenchCase<RetentionParams> = {
  name: 'retention',
  env: ENV,
  params: (quick) =>
    quick
      ? { runs: 1_000, tokens: 20, concurrency: 20, settleMs: 10_000 }
      : { runs: 10_000, tokens: 20, concurrency: 20, settleMs: 15_000 },
  async run(ctx, { runs, tokens, concurrency, settleMs }) {
    const results: PerTarget<RetainedMemory> = {};
    for (const target of inTurn(0, ctx.targets)) {
      const startRuns = async (n: number) => {
        const ids: string[] = [];
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
      await sleep(ENV.retentionMs + settleMs);
      const heapAtBaseline = await target.gc();
      const baseline = await sampleRss(target, 5, 200);
      const residentAtBaseline = target.residentMemory();
      let peak = baseline;
      const watch = setInterval(() => (peak = Math.max(peak, target.rssBytes())), 250);
      const startedAt = nowMs();
      const ids = await startRuns(runs);
      const runsPerSecond = runs / ((nowMs() - startedAt) / 1000);
      const heapRetained = await target.gc();
      const full = await sampleRss(target, 3, 100);
      const residentRetained = target.residentMemory();
      clearInterval(watch);
      if (!(await target.knows(ids[0])))
        throw new Error(
          `${target.name} forgot the first run before all ${runs} were measured; raise retentionMs`,
        );
      await sleep(ENV.retentionMs + settleMs);
      const afterNoGc = await sampleRss(target, 5, 200);
      const heapAfter = await target.gc();
      const after = await sampleRss(target, 5, 200);
      const residentAfter = target.residentMemory();
      const stillKnown = (await Promise.all(ids.slice(-50).map((id) => target.knows(id)))).filter(
        Boolean,
      ).length;
      // A second round: memory that only a leak holds grows again; the allocator's high-water mark does not.
      await startRuns(runs);
      await sleep(ENV.retentionMs + settleMs);
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
        residentAtBaseline,
        residentRetained,
        residentAfter,
      };
      ctx.log(
        `  ${target.name}: baseline ${mb(baseline)} MB, ${runs} runs retained ${mb(full)} MB (peak ${mb(peak)}), ` +
          `after retention ${mb(afterNoGc)} MB, after a full GC ${mb(after)} MB, after a second round ${mb(afterSecond)} MB, ` +
          `${runsPerSecond.toFixed(0)} runs/s; ` +
          `heap used ${mb(heapAtBaseline.heapUsed)} → ${mb(heapRetained.heapUsed)} → ${mb(heapAfter.heapUsed)} MB, ` +
          `heap committed ${mb(heapAtBaseline.heapTotal)} → ${mb(heapRetained.heapTotal)} → ${mb(heapAfter.heapTotal)} MB, ` +
          `external ${mb(heapAtBaseline.external)} → ${mb(heapRetained.external)} → ${mb(heapAfter.external)} MB, ` +
          `array buffers ${mb(heapAtBaseline.arrayBuffers)} → ${mb(heapRetained.arrayBuffers)} → ${mb(heapAfter.arrayBuffers)} MB; ` +
          `resident ${[residentAtBaseline, residentRetained, residentAfter].map(inMb).join(' → ')}`,
      );
    }
    const each = (figure: (memory: RetainedMemory) => number) =>
      figures(ctx.targets, (name) => figure(results[name]));
    const growthKept = ({ baseline, full, after }: RetainedMemory) =>
      (after - baseline) / Math.max(1, full - baseline);
    const heapKept = ({ heapAtBaseline, heapRetained, heapAfter }: RetainedMemory) =>
      (heapAfter.heapUsed - heapAtBaseline.heapUsed) /
      Math.max(1, heapRetained.heapUsed - heapAtBaseline.heapUsed);
    /** Rows of one figure at the baseline, with the runs retained and after retention. */
    const atEachPoint = (
      label: string,
      figure: (heap: NodeJS.MemoryUsage, resident: ResidentMemory) => number,
    ) => [
      row(
        `${label}: baseline (MB)`,
        each((m) => mb(figure(m.heapAtBaseline, m.residentAtBaseline))),
      ),
      row(
        `${label}: ${runs} runs retained (MB)`,
        each((m) => mb(figure(m.heapRetained, m.residentRetained))),
      ),
      row(
        `${label}: after retention (MB)`,
        each((m) => mb(figure(m.heapAfter, m.residentAfter))),
      ),
    ];
    const secondRoundGrowth = ({ baseline, full, after, afterSecond }: RetainedMemory) =>
      (afterSecond - after) / Math.max(1, full - baseline);
    return {
      summary:
        `${runs} completed runs of ${tokens + FRAME_EVENTS} events, retention ${ENV.retentionMs / 1000} s, ` +
        `VmRSS ${settleMs / 1000} s after it expired (the baseline as long after a warm-up), then a second round the same; ` +
        'figures after a full GC (--expose-gc, asked by the bench over IPC) unless they say otherwise',
      rows: [
        row(
          'RSS baseline (MB)',
          each((m) => mb(m.baseline)),
        ),
        row(
          `RSS peak while ${runs} runs ran, before GC (MB)`,
          each((m) => mb(m.peak)),
        ),
        row(
          `RSS with ${runs} runs retained (MB)`,
          each((m) => mb(m.full)),
        ),
        row(
          'RSS after retention, before GC (MB)',
          each((m) => mb(m.afterNoGc)),
        ),
        row(
          'RSS after retention (MB)',
          each((m) => mb(m.after)),
        ),
        row(
          'RSS after retention over the baseline',
          each((m) => m.after / m.baseline - 1),
          {
            absolute: (v) => v <= 0.1,
            target: '≤ 10% of the baseline',
          },
        ),
        row('RSS growth still held after retention', each(growthKept), {
          absolute: (v) => v <= 0.1,
          target: '≤ 10% of the growth',
        }),
        row(
          'RSS after a second round and its retention (MB)',
          each((m) => mb(m.afterSecond)),
        ),
        row('RSS growth a second round added', each(secondRoundGrowth)),
        ...atEachPoint('V8 heap used', (heap) => heap.heapUsed),
        row('V8 heap growth still held after retention', each(heapKept), {
          absolute: (v) => v <= 0.1,
          target: '≤ 10% of the growth',
        }),
        ...RESIDENT_KINDS.flatMap(([kind, label]) => atEachPoint(label, (_, resident) => resident[kind])),
        ...MEMORY_USAGE_FIELDS.flatMap(([field, label]) => atEachPoint(label, (heap) => heap[field])),
        row(
          'runs still known after retention',
          each((m) => m.stillKnown),
          {
            absolute: (v) => v === 0,
            target: '0',
          },
        ),
        row(
          'runs completed per second',
          each((m) => m.runsPerSecond),
        ),
      ],
      samples: results,
    };
  },
};

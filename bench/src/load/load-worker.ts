// One process of the load generator: holds SSE client connections (connection.ts) and reports what
// they received. Driven over IPC by load-generator.ts; every answer carries the command's `seq`.
// Times are milliseconds of process.hrtime (CLOCK_MONOTONIC, the same clock in every process of the
// machine), so they compare with the bench's and the fake model's.
import { nowMs } from '../clock.ts';
import type { Histogram } from '../statistics.ts';
import { BUCKET_MS, BUCKETS, Connection } from './connection.ts';
import type { OpenArgs, StreamSummary, WorkerCommands, WorkerRequest } from './protocol.ts';

/** Connections a worker has in the middle of connecting at once, to stay under the listen backlog. */
const CONNECTING_AT_ONCE = 200;

let connections: Connection[] = [];
let histogram = new Uint32Array(BUCKETS);
const waiters = new Set<() => void>();

const notifyWaiters = (): void => waiters.forEach((waiter) => waiter());

/** Opens `count` connections over the targets in turn; resolves once each is ready or has failed. */
function open({ targets, count, first, mode, readyEvents, addresses }: OpenArgs): Promise<StreamSummary> {
  return new Promise((resolve) => {
    let started = 0;
    let settled = 0;
    const opened: Connection[] = [];
    const onSettled = (): void => {
      settled++;
      if (settled === count) resolve(summary(opened));
      else startNext();
    };
    const startNext = (): void => {
      while (started < count && started - settled < CONNECTING_AT_ONCE) {
        const k = first + started++;
        const connection = new Connection(targets[k % targets.length], addresses[k % addresses.length], {
          mode,
          readyEvents,
          onSettled,
          onEnded: notifyWaiters,
          latencyHistogram: () => histogram,
        });
        opened.push(connection);
        connections.push(connection);
      }
    };
    if (count === 0) resolve(summary(opened));
    else startNext();
  });
}

function wait({ timeoutMs }: { timeoutMs: number }): Promise<StreamSummary> {
  return new Promise((resolve) => {
    const done = (): void => {
      if (connections.some((c) => c.endedAt === undefined)) return;
      clearTimeout(timer);
      waiters.delete(done);
      resolve(summary(connections));
    };
    const timer = setTimeout(() => {
      waiters.delete(done);
      resolve(summary(connections));
    }, timeoutMs);
    waiters.add(done);
    done();
  });
}

function summary(list: Connection[]): StreamSummary {
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const totals = {
    ready: 0,
    ended: 0,
    open: 0,
    events: 0,
    eventsSinceMark: 0,
    heartbeats: 0,
    lastEndedAt: 0,
  };
  for (const c of list) {
    statuses[c.status] = (statuses[c.status] ?? 0) + 1;
    if (c.error) errors[c.error] = (errors[c.error] ?? 0) + 1;
    if (c.readyAt !== undefined) totals.ready++;
    if (c.readyAt !== undefined && c.endedAt === undefined) totals.open++;
    if (c.endedAt !== undefined) {
      totals.ended++;
      if (!c.error) totals.lastEndedAt = Math.max(totals.lastEndedAt, c.endedAt);
    }
    totals.events += Math.max(0, c.events);
    totals.eventsSinceMark += Math.max(0, c.events) - c.markEvents;
    totals.heartbeats += c.heartbeats;
  }
  const timings =
    list.length <= 100
      ? list.map((c) => ({
          startedAt: c.startedAt,
          firstEventAt: c.firstEventAt,
          endedAt: c.endedAt,
          events: c.events,
        }))
      : undefined;
  return { connections: list.length, statuses, errors, ...totals, timings };
}

function sparseHistogram(): Histogram {
  const entries: Histogram = [];
  for (let i = 0; i < BUCKETS; i++) if (histogram[i]) entries.push([i * BUCKET_MS, histogram[i]]);
  return entries;
}

const commands: WorkerCommands = {
  open,
  mark: () => {
    for (const c of connections) c.markEvents = Math.max(0, c.events);
    histogram = new Uint32Array(BUCKETS);
    return { marked: connections.length };
  },
  wait,
  report: () => ({ ...summary(connections), latency: sparseHistogram() }),
  close: () => {
    for (const c of connections) {
      c.endedAt ??= nowMs();
      c.socket.destroy();
    }
    connections = [];
    histogram = new Uint32Array(BUCKETS);
    return { closed: true };
  },
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return { cpuSeconds: (user + system) / 1e6 };
  },
};

process.on('message', (message: WorkerRequest) => {
  const { seq, cmd, ...args } = message;
  void (async () => {
    try {
      const run = commands[cmd] as (args: unknown) => unknown;
      process.send?.({ seq, result: await run(args) });
    } catch (error) {
      process.send?.({ seq, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });

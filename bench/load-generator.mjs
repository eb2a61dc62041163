// The parent side of the load generator: a few worker processes (load-worker.mjs), each with the
// highest file-descriptor limit it may have and its own range of loopback source addresses, so that
// neither descriptors nor ephemeral ports run out.
import { spawnProcess } from './processes.mjs';

const WORKER = new URL('./load-worker.mjs', import.meta.url).pathname;
/** Source addresses per worker: 127.0.<worker + 1>.1 … 127.0.<worker + 1>.20, ~28k ports each. */
const ADDRESSES_PER_WORKER = 20;

export class LoadGenerator {
  static async start(workers, cpuList) {
    const generator = new LoadGenerator();
    generator.workers = await Promise.all(
      Array.from({ length: workers }, async (_, index) => {
        const child = await spawnProcess(process.execPath, [WORKER], {
          name: `load-worker-${index}`,
          cpuList,
        });
        const addresses = Array.from(
          { length: ADDRESSES_PER_WORKER },
          (_, a) => `127.0.${index + 1}.${a + 1}`,
        );
        return { child, addresses, seq: 0, pending: new Map() };
      }),
    );
    for (const worker of generator.workers) {
      worker.child.on('message', ({ seq, result, error }) => {
        const pending = worker.pending.get(seq);
        worker.pending.delete(seq);
        if (error) pending?.reject(new Error(error));
        else pending?.resolve(result);
      });
    }
    return generator;
  }

  /** The open file-descriptor limit of the workers (each may hold about that many connections). */
  get fdLimit() {
    return this.workers[0].child.fdLimit;
  }

  /**
   * Opens `count` SSE connections spread over the workers and over `targets` ({host, port, path,
   * headers}); resolves once every one is ready (has `readyMessages` messages) or has failed.
   */
  async open(targets, count, { mode = 'count', readyMessages = 1 } = {}) {
    const share = Math.ceil(count / this.workers.length);
    const parts = await Promise.all(
      this.workers.map((worker, index) => {
        const first = index * share;
        const mine = Math.max(0, Math.min(share, count - first));
        return send(worker, 'open', {
          targets,
          count: mine,
          first,
          mode,
          readyMessages,
          addresses: worker.addresses,
        });
      }),
    );
    return merge(parts);
  }

  /** Starts counting events (and latency) from here. */
  mark() {
    return this.all('mark');
  }

  /** Resolves once every connection has ended (or after `timeoutMs`), with what they received. */
  async wait(timeoutMs) {
    return merge(await this.all('wait', { timeoutMs }));
  }

  async report() {
    const parts = await this.all('report');
    const merged = merge(parts);
    merged.latency = mergeHistograms(parts.map((part) => part.latency));
    return merged;
  }

  close() {
    return this.all('close');
  }

  /** CPU seconds (user + system) the workers have used since they started. */
  async cpuSeconds() {
    const parts = await this.all('cpu');
    return parts.reduce((sum, part) => sum + part.cpuSeconds, 0);
  }

  async stop() {
    await Promise.all(this.workers.map((worker) => worker.child.stop()));
  }

  all(cmd, args = {}) {
    return Promise.all(this.workers.map((worker) => send(worker, cmd, args)));
  }
}

function send(worker, cmd, args) {
  return new Promise((resolve, reject) => {
    const seq = ++worker.seq;
    worker.pending.set(seq, { resolve, reject });
    worker.child.send({ seq, cmd, ...args });
  });
}

function merge(parts) {
  const sum = (key) => parts.reduce((total, part) => total + part[key], 0);
  const tally = (key) => {
    const out = {};
    for (const part of parts)
      for (const [name, n] of Object.entries(part[key])) out[name] = (out[name] ?? 0) + n;
    return out;
  };
  return {
    connections: sum('connections'),
    ready: sum('ready'),
    ended: sum('ended'),
    open: sum('open'),
    events: sum('events'),
    eventsSinceMark: sum('eventsSinceMark'),
    heartbeats: sum('heartbeats'),
    statuses: tally('statuses'),
    errors: tally('errors'),
    lastEndedAt: Math.max(...parts.map((part) => part.lastEndedAt)),
    timings: parts.flatMap((part) => part.timings ?? []),
  };
}

/** One histogram of the samples of several. */
export function mergeHistograms(histograms) {
  const counts = new Map();
  for (const entries of histograms) for (const [ms, n] of entries) counts.set(ms, (counts.get(ms) ?? 0) + n);
  return [...counts].sort((a, b) => a[0] - b[0]);
}

/** The value below which `fraction` of the histogram's samples fall. */
export function percentile(histogram, fraction) {
  const total = histogram.reduce((sum, [, n]) => sum + n, 0);
  let seen = 0;
  for (const [ms, n] of histogram) {
    seen += n;
    if (seen >= fraction * total) return ms;
  }
  return NaN;
}

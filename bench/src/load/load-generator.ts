// The parent side of the load generator: a few worker processes (load-worker.ts), each with the
// highest file-descriptor limit it may have and its own range of loopback source addresses, so that
// neither descriptors nor ephemeral ports run out.
import { type BenchProcess, spawnProcess } from '../processes/bench-process.ts';
import { type Histogram, mergeHistograms } from '../statistics.ts';
import type {
  CommandAnswer,
  CommandArgs,
  CommandName,
  ConnectionTiming,
  StreamMode,
  StreamSummary,
  StreamTarget,
  WorkerReply,
} from './protocol.ts';

const WORKER = new URL('./load-worker.ts', import.meta.url).pathname;
/** Source addresses per worker: 127.0.<worker + 1>.1 … 127.0.<worker + 1>.20, ~28k ports each. */
const ADDRESSES_PER_WORKER = 20;

interface Worker {
  process: BenchProcess;
  addresses: string[];
  seq: number;
  pending: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>;
}

/** What every worker's connections received, added up. */
export type LoadSummary = Omit<StreamSummary, 'timings'> & { timings: ConnectionTiming[] };

export class LoadGenerator {
  private readonly workers: Worker[];

  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  static async start(workers: number, cpuList: string | undefined): Promise<LoadGenerator> {
    const started = await Promise.all(
      Array.from({ length: workers }, async (_, index): Promise<Worker> => {
        const child = await spawnProcess(process.execPath, [WORKER], {
          name: `load-worker-${index}`,
          cpuList,
        });
        const addresses = Array.from(
          { length: ADDRESSES_PER_WORKER },
          (_, a) => `127.0.${index + 1}.${a + 1}`,
        );
        return { process: child, addresses, seq: 0, pending: new Map() };
      }),
    );
    for (const worker of started) {
      worker.process.child.on('message', ({ seq, result, error }: WorkerReply) => {
        const pending = worker.pending.get(seq);
        worker.pending.delete(seq);
        if (error) pending?.reject(new Error(error));
        else pending?.resolve(result);
      });
    }
    return new LoadGenerator(started);
  }

  get workerCount(): number {
    return this.workers.length;
  }

  /** The open file-descriptor limit of the workers (each may hold about that many connections). */
  get fdLimit(): number {
    return this.workers[0].process.fdLimit;
  }

  /**
   * Opens `count` SSE connections spread over the workers and over `targets`; resolves once every
   * one is ready (has its 200 and `readyEvents` events) or has failed.
   */
  async open(
    targets: StreamTarget[],
    count: number,
    { mode = 'count', readyEvents = 0 }: { mode?: StreamMode; readyEvents?: number } = {},
  ): Promise<LoadSummary> {
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
          readyEvents,
          addresses: worker.addresses,
        });
      }),
    );
    return merge(parts);
  }

  /** Starts counting events (and latency) from here. */
  async mark(): Promise<void> {
    await this.all('mark', {});
  }

  /** Resolves once every connection has ended (or after `timeoutMs`), with what they received. */
  async wait(timeoutMs: number): Promise<LoadSummary> {
    return merge(await this.all('wait', { timeoutMs }));
  }

  async report(): Promise<LoadSummary & { latency: Histogram }> {
    const parts = await this.all('report', {});
    return { ...merge(parts), latency: mergeHistograms(parts.map((part) => part.latency)) };
  }

  async close(): Promise<void> {
    await this.all('close', {});
  }

  /** CPU seconds (user + system) the workers have used since they started. */
  async cpuSeconds(): Promise<number> {
    const parts = await this.all('cpu', {});
    return parts.reduce((sum, part) => sum + part.cpuSeconds, 0);
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.process.stop()));
  }

  private all<C extends CommandName>(cmd: C, args: CommandArgs<C>): Promise<CommandAnswer<C>[]> {
    return Promise.all(this.workers.map((worker) => send(worker, cmd, args)));
  }
}

function send<C extends CommandName>(
  worker: Worker,
  cmd: C,
  args: CommandArgs<C>,
): Promise<CommandAnswer<C>> {
  return new Promise((resolve, reject) => {
    const seq = ++worker.seq;
    worker.pending.set(seq, { resolve: (value) => resolve(value as CommandAnswer<C>), reject });
    worker.process.child.send({ seq, cmd, ...args });
  });
}

function merge(parts: StreamSummary[]): LoadSummary {
  const sum = (
    key: 'connections' | 'ready' | 'ended' | 'open' | 'events' | 'eventsSinceMark' | 'heartbeats',
  ) => parts.reduce((total, part) => total + part[key], 0);
  const tally = (key: 'statuses' | 'errors') => {
    const out: Record<string, number> = {};
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

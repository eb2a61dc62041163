// The servers under test behind one interface (the API once per store mode, and raw): start a run
// fed by the fake model, say where its event stream is, read its state, and measure the process.
import { sleep } from '../clock.ts';
import type { StreamTarget } from '../load/protocol.ts';
import type { BenchProcess } from '../processes/bench-process.ts';
import type { ResidentMemory } from '../processes/proc-stats.ts';
import { GC_REQUEST, isGcDone } from './gc-request.ts';
import type { ModeName } from './store-mode.ts';

/** The API by the store it runs on, or the raw baseline. */
export type TargetName = ModeName | 'raw';

/** The API on the in-memory store: what the store modes are compared with. */
export const REFERENCE: TargetName = 'memory';
export const RAW: TargetName = 'raw';

export interface TargetPaths {
  start: string;
  events: (id: string) => string;
  run: (id: string) => string;
}

/** Settings both servers share in a case. */
export interface ServerSettings {
  heartbeatMs: number;
  retentionMs: number;
  /** `--expose-gc` and the bench's GC request (preload/gc-on-request.ts), for the memory cases. */
  exposeGc?: boolean;
}

export interface StartedRun {
  id: string;
  key: string;
}

let runKeys = 0;

export class Target {
  readonly name: TargetName;
  readonly process: BenchProcess;
  readonly baseUrl: string;
  readonly port: number;
  readonly paths: TargetPaths;
  /** Clears away what the server kept, once it has stopped (the API's database). */
  protected readonly afterStop: () => Promise<void>;
  authHeaders: Record<string, string> = {};

  constructor(
    name: TargetName,
    child: BenchProcess,
    baseUrl: string,
    paths: TargetPaths,
    afterStop = () => Promise.resolve(),
  ) {
    this.name = name;
    this.process = child;
    this.baseUrl = baseUrl;
    this.port = Number(new URL(baseUrl).port);
    this.paths = paths;
    this.afterStop = afterStop;
  }

  /** Stops the process (SIGSTOP) while the other server is measured, so its GC and timers stay off the core. */
  pause(): void {
    process.kill(this.process.pid, 'SIGSTOP');
  }

  resume(): void {
    process.kill(this.process.pid, 'SIGCONT');
  }

  cpuSeconds(): number {
    return this.process.cpuSeconds();
  }

  rssBytes(): number {
    return this.process.rssBytes();
  }

  /** Where the resident memory is: malloc's heap, other anonymous mappings, files, lazily freed pages. */
  residentMemory(): ResidentMemory {
    return this.process.residentMemory();
  }

  get fdLimit(): number {
    return this.process.fdLimit;
  }

  openFds(): number {
    return this.process.openFds();
  }

  /**
   * Starts a run whose model streams `tokens` tokens, one every `intervalMs` (0: as fast as the
   * socket takes them), after `POST /release` on the fake model when `hold`. Answers its id and key.
   */
  async startRun({
    tokens,
    intervalMs = 0,
    hold = false,
  }: {
    tokens: number;
    intervalMs?: number;
    hold?: boolean;
  }) {
    const key = `${this.name}-${process.pid}-${++runKeys}`;
    const title = `BENCH[key=${key} tokens=${tokens} interval=${intervalMs} hold=${hold ? 1 : 0}]`;
    const { workflowId } = await this.request<{ workflowId: string }>(
      'POST',
      this.paths.start,
      { issue: { title, body: 'bench' } },
      202,
    );
    return { id: workflowId, key } satisfies StartedRun;
  }

  /** Where a load worker connects to follow a run. */
  stream(id: string, headers: Record<string, string> = {}): StreamTarget {
    return {
      host: '127.0.0.1',
      port: this.port,
      path: this.paths.events(id),
      headers: { ...this.authHeaders, ...headers },
    };
  }

  /** Resolves once the run has ended; answers its last event id. */
  async finished(id: string, timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, lastEventId } = await this.request<{ status: string; lastEventId: number }>(
        'GET',
        this.paths.run(id),
        undefined,
        200,
      );
      if (status !== 'running' && status !== 'queued') return lastEventId;
      if (Date.now() > deadline)
        throw new Error(`${this.name}: run ${id} still ${status} after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** Whether the server still knows the run. */
  async knows(id: string): Promise<boolean> {
    const response = await fetch(this.baseUrl + this.paths.run(id), { headers: this.authHeaders });
    await response.arrayBuffer();
    return response.status === 200;
  }

  async request<T>(method: string, path: string, body: unknown, expected: number): Promise<T> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: { ...this.authHeaders, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expected) {
      throw new Error(`${this.name}: ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A full garbage collection in the server (only when started with `exposeGc`); answers memoryUsage(). */
  async gc(): Promise<NodeJS.MemoryUsage> {
    const { child } = this.process;
    const done = new Promise<NodeJS.MemoryUsage>((resolve) => {
      const onMessage = (message: unknown): void => {
        if (!isGcDone(message)) return;
        child.off('message', onMessage);
        resolve(message.gcDone);
      };
      child.on('message', onMessage);
    });
    child.send(GC_REQUEST);
    return Promise.race([
      done,
      this.process.exited.then((): never => {
        throw new Error(`${this.name} exited; see ${this.process.logFile}`);
      }),
    ]);
  }

  async stop(): Promise<void> {
    await this.process.stop();
    await this.afterStop();
  }
}

/** The environment both servers read these settings from. */
export function sharedEnv({ heartbeatMs, retentionMs }: ServerSettings): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    SSE_HEARTBEAT_MS: String(heartbeatMs),
    WORKFLOW_RETENTION_MS: String(retentionMs),
  };
}

const GC_ON_REQUEST = new URL('../preload/gc-on-request.ts', import.meta.url).pathname;

/** Node flags for a server: a CPU and heap profile, a GC the bench can ask for. */
export function nodeFlags(
  { profileDir, exposeGc }: { profileDir?: string; exposeGc?: boolean },
  ...extra: string[]
): string[] {
  return [
    ...(profileDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${profileDir}`,
          '--heap-prof',
          `--heap-prof-dir=${profileDir}`,
          '--heap-prof-interval=32768',
          ...extra,
        ]
      : []),
    ...(exposeGc ? ['--expose-gc', '--import', GC_ON_REQUEST] : []),
  ];
}

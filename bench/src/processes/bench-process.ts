// The bench's child processes: started with the open-file limit raised, an IPC channel, their output
// in LOG_DIR, optionally pinned to CPUs; ended with the bench however it ends.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_DIR } from './log-dir.ts';
import {
  cpuSecondsOf,
  fdLimitOf,
  openFdsOf,
  type ResidentMemory,
  residentMemoryOf,
  rssBytesOf,
} from './proc-stats.ts';

/** Every process the bench started, ended with it however it ends. */
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export interface SpawnOptions {
  name: string;
  env?: Record<string, string | undefined>;
  /** Resolves once the process is ready; by default, once it has sent its first IPC message. */
  ready?: () => Promise<unknown>;
  /** CPUs as taskset takes them, e.g. `0-2`. */
  cpuList?: string;
  /** How `stop()` ends it; SIGTERM falls back to SIGKILL after 10 s, any other signal is waited for. */
  stopSignal?: NodeJS.Signals;
}

export class BenchProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<unknown[]>;
  readonly stopSignal: NodeJS.Signals;
  /** The first IPC message, or what `ready()` resolved to. */
  firstMessage: unknown;
  fdLimit = NaN;

  constructor(child: ChildProcess, logFile: string, stopSignal: NodeJS.Signals) {
    this.child = child;
    this.logFile = logFile;
    this.stopSignal = stopSignal;
    this.exited = once(child, 'exit');
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`no process id; see ${this.logFile}`);
    return this.child.pid;
  }

  cpuSeconds(): number {
    return cpuSecondsOf(this.pid);
  }

  rssBytes(): number {
    return rssBytesOf(this.pid);
  }

  residentMemory(): ResidentMemory {
    return residentMemoryOf(this.pid);
  }

  openFds(): number {
    return openFdsOf(this.pid);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(this.stopSignal);
    const timer =
      this.stopSignal === 'SIGTERM' ? setTimeout(() => this.child.kill('SIGKILL'), 10_000) : undefined;
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Starts `command` through bash with the file-descriptor limit raised as far as the kernel lets
 * this user (1,048,576, or the hard limit where that is lower), with an IPC channel, and its output
 * in LOG_DIR/<name>.log. Resolves once the process is ready.
 */
export async function spawnProcess(
  command: string,
  args: string[],
  options: SpawnOptions,
): Promise<BenchProcess> {
  const { env = {}, name, ready, cpuList, stopSignal = 'SIGTERM' } = options;
  const logFile = join(LOG_DIR, `${name}.log`);
  const log = openSync(logFile, 'w');
  const script = 'ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"';
  const pinned = cpuList ? ['taskset', '-c', cpuList] : [];
  const child = spawn('bash', ['-c', script, 'bash', ...pinned, command, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log, 'ipc'],
  });
  const started = new BenchProcess(child, logFile, stopSignal);
  children.add(child);
  void started.exited.then(() => children.delete(child));
  const readiness: Promise<unknown[]> = ready ? ready().then((value) => [value]) : once(child, 'message');
  const [first] = await Promise.race([
    readiness,
    started.exited.then(([code]): never => {
      throw new Error(`${name} exited with ${String(code)} before it was ready; see ${logFile}`);
    }),
  ]);
  started.firstMessage = first;
  started.fdLimit = fdLimitOf(started.pid);
  return started;
}

/** The port in a server's first IPC message, `{ listening: port }`. */
export function listeningPort(message: unknown): number {
  if (typeof message === 'object' && message !== null && 'listening' in message)
    return Number(message.listening);
  throw new Error(`expected { listening: port } first, got ${JSON.stringify(message)}`);
}

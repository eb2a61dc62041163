// The API as several processes on one shared store (PostgreSQL and Redis): runs are started on the
// first, streams are read from the second, and every figure of the process sums them all.
import type { StreamTarget } from '../load/protocol.ts';
import type { BenchProcess } from '../processes/bench-process.ts';
import { Target, type TargetName, type TargetPaths } from './target.ts';

export class ClusterTarget extends Target {
  private readonly processes: readonly BenchProcess[];
  private readonly streamPort: number;

  constructor(
    name: TargetName,
    processes: readonly BenchProcess[],
    baseUrl: string,
    streamPort: number,
    paths: TargetPaths,
    afterStop: () => Promise<void>,
  ) {
    super(name, processes[0], baseUrl, paths, afterStop);
    this.processes = processes;
    this.streamPort = streamPort;
  }

  override pause(): void {
    for (const { pid } of this.processes) process.kill(pid, 'SIGSTOP');
  }

  override resume(): void {
    for (const { pid } of this.processes) process.kill(pid, 'SIGCONT');
  }

  override cpuSeconds(): number {
    return this.processes.reduce((sum, child) => sum + child.cpuSeconds(), 0);
  }

  override rssBytes(): number {
    return this.processes.reduce((sum, child) => sum + child.rssBytes(), 0);
  }

  override openFds(): number {
    return this.processes.reduce((sum, child) => sum + child.openFds(), 0);
  }

  /** On the instance that did not start the run: its events reach the clients through Redis. */
  override stream(id: string, headers: Record<string, string> = {}): StreamTarget {
    return { ...super.stream(id, headers), port: this.streamPort };
  }

  override async stop(): Promise<void> {
    await Promise.all(this.processes.map((child) => child.stop()));
    await this.afterStop();
  }
}

// What the load generator (parent) and its workers say to each other over IPC.
import type { Histogram } from '../statistics.ts';

/** Where a client connects to follow a run. */
export interface StreamTarget {
  host: string;
  port: number;
  path: string;
  headers?: Record<string, string>;
}

/** `count` only counts events and heartbeats; `latency` also reads the fake model's time stamp out of each token. */
export type StreamMode = 'count' | 'latency';

export interface OpenArgs {
  targets: StreamTarget[];
  count: number;
  first: number;
  mode: StreamMode;
  readyEvents: number;
  addresses: string[];
}

export interface ConnectionTiming {
  startedAt: number;
  firstEventAt: number | undefined;
  endedAt: number | undefined;
  events: number;
}

export interface StreamSummary {
  connections: number;
  ready: number;
  ended: number;
  open: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  events: number;
  eventsSinceMark: number;
  heartbeats: number;
  lastEndedAt: number;
  timings: ConnectionTiming[] | undefined;
}

/** The commands a worker answers, by name: argument → answer. */
export interface WorkerCommands {
  open: (args: OpenArgs) => Promise<StreamSummary>;
  mark: (args: object) => { marked: number };
  wait: (args: { timeoutMs: number }) => Promise<StreamSummary>;
  report: (args: object) => StreamSummary & { latency: Histogram };
  close: (args: object) => { closed: true };
  cpu: (args: object) => { cpuSeconds: number };
}

export type CommandName = keyof WorkerCommands;
export type CommandArgs<C extends CommandName> = Parameters<WorkerCommands[C]>[0];
export type CommandAnswer<C extends CommandName> = Awaited<ReturnType<WorkerCommands[C]>>;

export type WorkerRequest = { seq: number; cmd: CommandName } & Record<string, unknown>;
export type WorkerReply = { seq: number; result?: unknown; error?: string };

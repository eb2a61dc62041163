import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import { releasePooledHeapPages } from './v8-page-pool';

/** How often the server looks whether it is idle with memory to give back. */
const CHECK_INTERVAL_MS = 10_000;

/** Idle: the event loop was busy less than this share of the last interval. */
const IDLE_UTILIZATION = 0.1;

/** Growth of the resident memory since the last release worth a pause to give back. */
export const MIN_RELEASE_BYTES = 32 * 1024 * 1024;

/** What the server was doing over the last interval. */
export interface Activity {
  /** The share of the interval the event loop was busy. */
  utilization: number;
  /** Resident memory grown since the last release. */
  keptSinceRelease: number;
  /** Connections open to the HTTP server now: an open event stream is one. */
  connections: number;
}

/**
 * Whether now is the time to give memory back: nobody connected (a stream would wait for the
 * collection's pause), the event loop idle, and enough kept since the last release.
 */
export function shouldRelease({ utilization, keptSinceRelease, connections }: Activity): boolean {
  return connections === 0 && utilization < IDLE_UTILIZATION && keptSinceRelease >= MIN_RELEASE_BYTES;
}

/**
 * Gives back the memory a burst of work left behind, once the server is idle again. A burst grows
 * V8's heap (its young generation to over 100 MB when many runs stream at once). An idle server runs
 * no collection that would shrink it, and the collections that do keep the freed pages resident for
 * reuse: after 1,000 runs and their retention the process held ~130 MB more than before for the same
 * live heap (`npm run bench -- --case retention`). Only when no connection is open to the server, the
 * event loop has been idle for a whole interval and the resident memory has grown by 32 MiB since the
 * last release, so that the full collections it takes never land in anybody's stream (a server
 * streaming a few runs is idle by its event loop alone), nor repeat for memory that stays.
 */
@Injectable()
export class IdleMemoryRelease implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private lastUtilization?: EventLoopUtilization;
  /** Resident memory after the last release (or at start). */
  private afterRelease = process.memoryUsage.rss();
  private releasing?: Promise<void>;

  constructor(
    private readonly adapter: HttpAdapterHost,
    @InjectPinoLogger(IdleMemoryRelease.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.lastUtilization = performance.eventLoopUtilization();
    this.timer = setInterval(() => this.check(), CHECK_INTERVAL_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.releasing;
  }

  private check(): void {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, this.lastUtilization);
    this.lastUtilization = now;
    if (this.releasing) return;
    const server = this.adapter.httpAdapter.getHttpServer() as Server;
    server.getConnections((error, connections) => {
      const keptSinceRelease = process.memoryUsage.rss() - this.afterRelease;
      if (error || this.releasing || !shouldRelease({ utilization, keptSinceRelease, connections })) return;
      this.releasing = this.release().finally(() => (this.releasing = undefined));
    });
  }

  private async release(): Promise<void> {
    const before = process.memoryUsage.rss();
    const startedAt = performance.now();
    try {
      await releasePooledHeapPages();
    } catch (error) {
      this.logger.warn({ err: error }, 'giving back pooled heap pages failed');
    }
    // What stays is the new reference: memory that is live, or that V8 cannot give back, is not asked for again.
    this.afterRelease = process.memoryUsage.rss();
    this.logger.info(
      {
        releasedMb: Math.round((before - process.memoryUsage.rss()) / 1048576),
        ms: Math.round(performance.now() - startedAt),
      },
      'idle: gave back pooled heap pages',
    );
  }
}

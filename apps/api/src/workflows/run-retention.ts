import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { setTimeout as pause } from 'node:timers/promises';
import { StoreConfig } from '../config/app-config';
import { RunStore } from '../store/run-store';

/** Runs deleted in one statement, once their events are gone. */
const DELETE_BATCH = 500;

/**
 * Events deleted in one statement: the embedded store's calls are synchronous, and deleting 100 runs
 * of 1,000 events in one went held the event loop, and every stream, for 0.4–0.9 s. A batch this
 * size takes a few milliseconds.
 */
const EVENT_DELETE_BATCH = 1_000;

/** The pause after each full batch, so that a long sweep takes a small share of the event loop. */
const BATCH_PAUSE_MS = 10;

/** The longest wait between two sweeps, whatever the retention. */
const MAX_SWEEP_INTERVAL_MS = 60 * 60_000;
/** Sweeps within one retention period. */
const SWEEPS_PER_RETENTION = 10;
/** The shortest, for very short retentions. */
const MIN_SWEEP_INTERVAL_MS = 100;

/**
 * Deletes runs (and their events) that finished more than `WORKFLOW_RETENTION_MS` ago, for good,
 * in small batches with pauses between them, so that streams go on meanwhile: at start, then on a timer. What is due is read from the store, so a restart loses
 * nothing of the schedule.
 */
@Injectable()
export class RunRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly config: StoreConfig,
    private readonly store: RunStore,
    @InjectPinoLogger(RunRetention.name) private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    const interval = Math.min(
      MAX_SWEEP_INTERVAL_MS,
      // A tenth of the retention: an expired run outlives it by a tenth at most, not by a whole retention.
      Math.max(MIN_SWEEP_INTERVAL_MS, this.config.retentionMs / SWEEPS_PER_RETENTION),
    );
    this.timer = setInterval(() => void this.sweep(), interval).unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** One sweep at a time: a slow one is not overtaken by the next tick. */
  private sweep(): Promise<void> {
    this.sweeping ??= this.deleteExpired()
      .catch((error: unknown) => this.logger.error({ err: error }, 'deleting expired runs failed'))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async deleteExpired(): Promise<void> {
    const cutoff = new Date(Date.now() - this.config.retentionMs).toISOString();
    // The events first, then the runs, which are quick to delete without them; a run left without
    // its events by a stop in between is still expired, and the next sweep deletes it.
    await this.inBatches(EVENT_DELETE_BATCH, (limit) =>
      this.store.deleteEventsOfRunsFinishedBefore(cutoff, limit),
    );
    const deleted = await this.inBatches(DELETE_BATCH, (limit) =>
      this.store.deleteRunsFinishedBefore(cutoff, limit),
    );
    if (deleted > 0) this.logger.info({ deleted, cutoff }, 'expired runs deleted');
  }

  /** Calls `deleteBatch` until it deletes less than a full batch, or the server stops; answers how many it deleted. */
  private async inBatches(size: number, deleteBatch: (limit: number) => Promise<number>): Promise<number> {
    let deleted = 0;
    for (let batch = size; batch === size && !this.stopped; deleted += batch) {
      batch = await deleteBatch(size);
      if (batch === size) await pause(BATCH_PAUSE_MS);
    }
    return deleted;
  }
}

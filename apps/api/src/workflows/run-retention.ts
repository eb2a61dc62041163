import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { StoreConfig } from '../config/app-config';
import { RunStore } from '../store/run-store';

/** Runs deleted in one statement: small enough that a sweep never holds the store for long. */
const DELETE_BATCH = 500;

/** The longest wait between two sweeps, whatever the retention. */
const MAX_SWEEP_INTERVAL_MS = 60 * 60_000;
/** The shortest, for very short retentions. */
const MIN_SWEEP_INTERVAL_MS = 100;

/**
 * Deletes runs (and their events) that finished more than `WORKFLOW_RETENTION_MS` ago, for good,
 * in batches: at start, then on a timer. What is due is read from the store, so a restart loses
 * nothing of the schedule.
 */
@Injectable()
export class RunRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly config: StoreConfig,
    private readonly store: RunStore,
    @InjectPinoLogger(RunRetention.name) private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    const interval = Math.min(
      MAX_SWEEP_INTERVAL_MS,
      Math.max(MIN_SWEEP_INTERVAL_MS, this.config.retentionMs),
    );
    this.timer = setInterval(() => void this.sweep(), interval).unref();
  }

  async onModuleDestroy(): Promise<void> {
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
    let deleted = 0;
    for (let batch = DELETE_BATCH; batch === DELETE_BATCH; deleted += batch) {
      batch = await this.store.deleteRunsFinishedBefore(cutoff, DELETE_BATCH);
    }
    if (deleted > 0) this.logger.info({ deleted, cutoff }, 'expired runs deleted');
  }
}

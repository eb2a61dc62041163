import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DeploymentConfig } from '../config/app-config';
import { RedisConnections } from '../redis/redis-connections';
import { RunStore } from '../store/run-store';
import { RunExecutor } from './run-executor';
import { RUN_QUEUE, type RunJob, runQueuePrefix } from './run-queue';
import { WorkflowRun } from './workflow-run';

/** The longest stopping waits for BullMQ to let go of its jobs (Redis may be unreachable meanwhile). */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Takes runs from the queue (`ROLE=worker`, and `all` in the shared mode) and executes them. A job
 * BullMQ hands out twice (it thought its worker stalled) runs once: the lease claim decides.
 * Stopping, it takes no new job; the runs it has end as the executor ends them.
 */
@Injectable()
export class RunQueueWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly worker: Worker<RunJob>;

  constructor(
    redis: RedisConnections,
    { workerConcurrency }: DeploymentConfig,
    private readonly store: RunStore,
    private readonly executor: RunExecutor,
    @InjectPinoLogger(RunQueueWorker.name) private readonly logger: PinoLogger,
  ) {
    this.worker = new Worker<RunJob>(RUN_QUEUE, (job) => this.process(job), {
      // A worker's blocking reads wait for Redis to come back rather than fail.
      connection: redis.open('run-worker', { maxRetriesPerRequest: null, enableOfflineQueue: true }),
      prefix: runQueuePrefix(redis),
      concurrency: workerConcurrency,
      autorun: false,
    });
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'run queue worker error'));
  }

  onApplicationBootstrap(): void {
    this.worker
      .run()
      .catch((error: unknown) => this.logger.error({ err: error }, 'run queue worker stopped'));
  }

  /** Takes no new job from here on; resolves once the jobs it has are done (the executor interrupts them). */
  async onModuleDestroy(): Promise<void> {
    const deadline = new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
    await Promise.race([this.worker.close(), deadline]);
  }

  private async process({ data: { workflowId } }: Job<RunJob>): Promise<void> {
    const record = await this.store.findRun(workflowId);
    if (!record || record.finishedAt) return;
    await this.executor.execute(WorkflowRun.fromRecord(record));
  }
}

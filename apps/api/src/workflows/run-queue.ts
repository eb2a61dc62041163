import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { once } from 'node:events';
import { RedisConnections } from '../redis/redis-connections';

/** The BullMQ queue of runs to execute: one job per run, its id the run's. */
export const RUN_QUEUE = 'runs';

/** What a job of the run queue carries: the run, whose record the worker reads from the store. */
export interface RunJob {
  workflowId: string;
}

/** The longest an enqueue may take before the start is refused: Redis may be unreachable. */
const ENQUEUE_TIMEOUT_MS = 2_000;

/** Where BullMQ keeps its keys: under the deployment's key prefix. */
export function runQueuePrefix(redis: RedisConnections): string {
  return redis.key('bull');
}

/**
 * The shared mode's run queue, as the instances that start runs add to it. Its connection has no
 * offline queue, so that an enqueue while Redis is unreachable fails rather than waits; BullMQ gets
 * it once connected (it asks the server's version first).
 */
@Injectable()
export class RunQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly connection: Redis;
  private queue?: Queue<RunJob>;

  constructor(
    private readonly redis: RedisConnections,
    @InjectPinoLogger(RunQueue.name) private readonly logger: PinoLogger,
  ) {
    this.connection = redis.open('run-queue', { maxRetriesPerRequest: null });
  }

  async onModuleInit(): Promise<void> {
    if (this.connection.status !== 'ready') await once(this.connection, 'ready');
    this.queue = new Queue<RunJob>(RUN_QUEUE, {
      connection: this.connection,
      prefix: runQueuePrefix(this.redis),
      skipWaitingForReady: true,
      defaultJobOptions: {
        // A worker that stops before taking the job fails it: another one tries again.
        attempts: 5,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: 1_000,
      },
    });
    this.queue.on('error', (error) => this.logger.warn({ err: error }, 'run queue error'));
  }

  /** Adds the run; fails (rather than waits) when Redis does not take it within 2 s. */
  async enqueue(workflowId: string): Promise<void> {
    if (!this.queue) throw new Error('The run queue is not open yet');
    const timeout = AbortSignal.timeout(ENQUEUE_TIMEOUT_MS);
    const timedOut = new Promise<never>((_, reject) =>
      timeout.addEventListener('abort', () => reject(new Error('Redis did not take the job in time'))),
    );
    await Promise.race([this.queue.add('execute', { workflowId }, { jobId: workflowId }), timedOut]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close();
  }
}

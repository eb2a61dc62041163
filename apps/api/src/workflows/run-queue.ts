import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
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

/** The shared mode's run queue, as the instances that start runs add to it. */
@Injectable()
export class RunQueue implements OnApplicationShutdown {
  private readonly queue: Queue<RunJob>;

  constructor(redis: RedisConnections) {
    this.queue = new Queue<RunJob>(RUN_QUEUE, {
      connection: redis.open('run-queue', { maxRetriesPerRequest: null }),
      prefix: runQueuePrefix(redis),
      skipWaitingForReady: true,
      defaultJobOptions: {
        // A worker that stops before taking the job fails it: another one tries again.
        attempts: 5,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: 1_000,
      },
    });
  }

  /** Adds the run; fails (rather than waits) when Redis does not take it within 2 s. */
  async enqueue(workflowId: string): Promise<void> {
    const timeout = AbortSignal.timeout(ENQUEUE_TIMEOUT_MS);
    const timedOut = new Promise<never>((_, reject) =>
      timeout.addEventListener('abort', () => reject(new Error('Redis did not take the job in time'))),
    );
    await Promise.race([this.queue.add('execute', { workflowId }, { jobId: workflowId }), timedOut]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

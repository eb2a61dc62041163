import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RetryLater } from '../errors/retry-later';
import { RunStore } from '../store/run-store';
import { RunDispatch } from './run-dispatch';
import { RunQueue } from './run-queue';
import type { WorkflowRun } from './workflow-run';

/** Seconds a start refused for want of Redis suggests waiting. */
const QUEUE_RETRY_AFTER_SECONDS = 5;

/**
 * The shared mode: the run goes to the queue, and a worker takes it. A run the queue did not take
 * is deleted again (its start is refused with 503), so that none is left queued forever.
 */
@Injectable()
export class QueueDispatch extends RunDispatch {
  constructor(
    private readonly queue: RunQueue,
    private readonly store: RunStore,
    @InjectPinoLogger(QueueDispatch.name) private readonly logger: PinoLogger,
  ) {
    super();
  }

  async dispatch(run: WorkflowRun): Promise<void> {
    try {
      await this.queue.enqueue(run.id);
    } catch (error) {
      this.logger.warn({ err: error, workflowId: run.id }, 'run not queued: Redis did not take it');
      await this.store.deleteRun(run.id);
      throw new RetryLater(
        'The run queue cannot be reached; start the run again in a moment',
        QUEUE_RETRY_AFTER_SECONDS,
      );
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RunDispatch } from './run-dispatch';
import { RunExecutor } from './run-executor';
import type { WorkflowRun } from './workflow-run';

/** One process: the run is executed here, in the background. */
@Injectable()
export class InProcessDispatch extends RunDispatch {
  constructor(
    private readonly executor: RunExecutor,
    @InjectPinoLogger(InProcessDispatch.name) private readonly logger: PinoLogger,
  ) {
    super();
  }

  dispatch(run: WorkflowRun): Promise<void> {
    // A claim the store refused leaves the run unfinished: the next start ends it as interrupted.
    this.executor
      .execute(run)
      .catch((error: unknown) => this.logger.error({ err: error, workflowId: run.id }, 'run not executed'));
    return Promise.resolve();
  }
}

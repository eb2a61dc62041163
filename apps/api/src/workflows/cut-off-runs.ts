import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { isFinished, reduceRunView } from '@issuecast/workflow-events';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { WorkflowEventEmitter } from '../event-log/workflow-event-emitter.service';
import { WorkflowEventLog } from '../event-log/workflow-event-log';
import { RunStore } from '../store/run-store';
import { outcomeOf, replayView } from './run-outcome';
import { interruptedByShutdown } from './run-stop-reasons';

/**
 * At start, before the server takes requests: the runs a crash or a kill left unfinished end with
 * one `interrupted` error after their last stored event. A run whose terminal event was stored but
 * not its outcome only has its outcome stored.
 */
@Injectable()
export class CutOffRuns implements OnApplicationBootstrap {
  constructor(
    private readonly store: RunStore,
    private readonly log: WorkflowEventLog,
    private readonly emitter: WorkflowEventEmitter,
    @InjectPinoLogger(CutOffRuns.name) private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const run of await this.store.unfinishedRuns()) await this.end(run.id);
  }

  private async end(workflowId: string): Promise<void> {
    let view = await replayView(this.log, workflowId);
    if (!isFinished(view)) {
      this.log.openForWriting(workflowId, view.lastEventId);
      const { code, message, retryable } = interruptedByShutdown();
      const event = this.emitter.emit(workflowId, 'error', { content: message, code, retryable });
      await this.log.closeForWriting(workflowId);
      view = reduceRunView(view, event);
      this.logger.warn(
        { workflowId, lastEventId: view.lastEventId },
        'run cut off by the last stop ended as interrupted',
      );
    }
    await this.store.updateRun(workflowId, outcomeOf(view));
  }
}

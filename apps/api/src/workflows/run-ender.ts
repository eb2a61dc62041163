import { Injectable } from '@nestjs/common';
import { isFinished, reduceRunView } from '@issuecast/workflow-events';
import { WorkflowEventEmitter } from '../event-log/workflow-event-emitter.service';
import { WorkflowEventLog } from '../event-log/workflow-event-log';
import type { RunFailure } from '../run-failure/run-failure';
import { ProcessIdentity } from '../store/process-identity';
import { RunStore } from '../store/run-store';
import { outcomeOf, replayView } from './run-outcome';

/**
 * Ends a run nobody executes any more (its process crashed or lost its lease, or no worker took it
 * yet) with one `error` event after its last stored event, and stores its outcome. The caller
 * holds the run's lease; a run whose terminal event was stored but not its outcome only has its
 * outcome stored.
 */
@Injectable()
export class RunEnder {
  constructor(
    private readonly store: RunStore,
    private readonly log: WorkflowEventLog,
    private readonly emitter: WorkflowEventEmitter,
    private readonly identity: ProcessIdentity,
  ) {}

  /** Answers whether it appended the end (false: the run had ended already). */
  async end(workflowId: string, failure: RunFailure): Promise<boolean> {
    let view = await replayView(this.log, workflowId);
    const ending = !isFinished(view);
    if (ending) {
      this.log.openForWriting(workflowId, view.lastEventId);
      const { code, message, retryable } = failure;
      const event = this.emitter.emit(workflowId, 'error', { content: message, code, retryable });
      await this.log.closeForWriting(workflowId);
      view = reduceRunView(view, event);
    }
    await this.store.updateRun(workflowId, outcomeOf(view), this.identity.id);
    return ending;
  }
}

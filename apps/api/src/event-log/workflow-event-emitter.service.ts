import { Injectable } from '@nestjs/common';
import {
  isTerminalEvent,
  type WorkflowEvent,
  type WorkflowEventData,
  type WorkflowEventType,
} from '@issuecast/workflow-events';
import { LimitsConfig } from '../config/app-config';
import { RunFailure } from '../run-failure/run-failure';
import { type UnloggedEvent, WorkflowEventLog } from './workflow-event-log';

/**
 * The one way a run's events come to be: each is stamped with the time and appended to the run's
 * log, which numbers it and announces it to whoever follows the run.
 */
@Injectable()
export class WorkflowEventEmitter {
  constructor(
    private readonly log: WorkflowEventLog,
    private readonly limits: LimitsConfig,
  ) {}

  /**
   * Emits the run's next event. A run that reached its event cap gets a `RunFailure` instead of a
   * non-terminal event, so that its terminal event still fits; nothing follows a terminal event.
   */
  emit<T extends WorkflowEventType>(
    workflowId: string,
    type: T,
    data: WorkflowEventData<T>,
  ): WorkflowEvent<T> {
    const last = this.log.lastWritten(workflowId)?.event;
    if (last && isTerminalEvent(last)) {
      throw new Error(`Workflow ${workflowId} has ended; its ${type} event was not emitted`);
    }
    const emitted = last?.id ?? 0;
    // The last place under the cap is kept for the terminal event.
    if (!isTerminalEvent({ type }) && emitted >= this.limits.eventsPerRun - 1) {
      throw new RunFailure(
        'limit_exceeded',
        `The run was stopped after ${emitted} events, the most one run may produce.`,
        false,
      );
    }
    const event = { workflowId, type, data, timestamp: new Date().toISOString() } as UnloggedEvent;
    return this.log.append(event).event as WorkflowEvent<T>;
  }
}

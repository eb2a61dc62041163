import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  isTerminalEvent,
  type WorkflowEvent,
  type WorkflowEventData,
  type WorkflowEventType,
} from '@issuecast/workflow-events';
import { LimitsConfig } from '../config/app-config';
import { RunFailure } from '../workflows/run-failure';
import { toLoggedEvent } from './logged-event';
import { workflowEventChannel } from './workflow-event-channel';
import { WorkflowEventLog } from './workflow-event-log';

/**
 * The one way a run's events come to be: each gets the run's next id and a timestamp, goes into
 * the run's log, and is then published on the event bus for whoever follows the run.
 */
@Injectable()
export class WorkflowEventEmitter {
  constructor(
    private readonly log: WorkflowEventLog,
    private readonly bus: EventEmitter2,
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
    const last = this.log.last(workflowId)?.event;
    if (last && isTerminalEvent(last)) {
      throw new Error(`Workflow ${workflowId} has ended; its ${type} event was not emitted`);
    }
    const id = (last?.id ?? 0) + 1;
    if (!isTerminalEvent({ type }) && id >= this.limits.eventsPerRun) {
      throw new RunFailure(
        'limit_exceeded',
        `The run was stopped after ${id - 1} events, the most one run may produce.`,
        false,
      );
    }
    const event = { id, workflowId, type, data, timestamp: new Date().toISOString() } as WorkflowEvent<T>;
    const entry = toLoggedEvent(event);
    this.log.append(entry);
    this.bus.emit(workflowEventChannel(workflowId), entry);
    return event;
  }
}

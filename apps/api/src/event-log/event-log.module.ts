import { Module } from '@nestjs/common';
import { LIVE_FEED_PROVIDER } from './live-feed.provider';
import { StoredWorkflowEventLog } from './stored-workflow-event-log';
import { WorkflowEventEmitter } from './workflow-event-emitter.service';
import { WorkflowEventLog } from './workflow-event-log';

/** Where a run's events are numbered, kept and announced: the emitter writes, the log keeps. */
@Module({
  providers: [
    LIVE_FEED_PROVIDER,
    { provide: WorkflowEventLog, useClass: StoredWorkflowEventLog },
    WorkflowEventEmitter,
  ],
  exports: [WorkflowEventLog, WorkflowEventEmitter],
})
export class EventLogModule {}

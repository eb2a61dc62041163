import { Module } from '@nestjs/common';
import { InMemoryWorkflowEventLog } from './in-memory-workflow-event-log';
import { WorkflowEventEmitter } from './workflow-event-emitter.service';
import { WorkflowEventLog } from './workflow-event-log';
import { WorkflowEventStream } from './workflow-event-stream.service';
import { WorkflowEventsController } from './workflow-events.controller';
import { WorkflowEventsService } from './workflow-events.service';

@Module({
  controllers: [WorkflowEventsController],
  providers: [
    { provide: WorkflowEventLog, useClass: InMemoryWorkflowEventLog },
    WorkflowEventEmitter,
    WorkflowEventStream,
    WorkflowEventsService,
  ],
  exports: [WorkflowEventLog, WorkflowEventEmitter, WorkflowEventStream],
})
export class WorkflowEventsModule {}

import { ApiProperty } from '@nestjs/swagger';
import type { RunState } from '@issuecast/workflow-events';
import type { RunStarted } from '@issuecast/workflows-api';

export class WorkflowStartedDto implements RunStarted {
  @ApiProperty({ format: 'uuid' })
  workflowId!: string;

  @ApiProperty({ example: '/api/workflows/6f1c…/events', description: 'The run’s SSE stream.' })
  eventsUrl!: string;

  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] })
  status!: RunState;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode, RUN_STATES, type RunState } from '@issuecast/workflow-events';
import type { IssueRef, RunError, RunSnapshot } from '@issuecast/workflows-api';

export class IssueRefDto implements IssueRef {
  @ApiPropertyOptional({ example: 'octo-org/octo-repo' })
  repository?: string;

  @ApiPropertyOptional({ type: 'integer', example: 42 })
  number?: number;

  @ApiPropertyOptional({ description: 'Known once the issue was pasted or fetched.' })
  title?: string;
}

export class RunErrorDto implements RunError {
  @ApiProperty({ enum: ERROR_CODES })
  code!: ErrorCode;

  @ApiProperty()
  message!: string;

  @ApiProperty()
  retryable!: boolean;
}

/** A run as it stands: what `GET /api/workflows/:workflowId` answers. */
export class WorkflowSnapshotDto implements RunSnapshot {
  @ApiProperty({ format: 'uuid' })
  workflowId!: string;

  @ApiProperty({ enum: RUN_STATES })
  status!: RunState;

  @ApiProperty({ type: IssueRefDto })
  issue!: IssueRefDto;

  @ApiProperty({ description: 'The draft so far, or the final comment once completed (Markdown).' })
  text!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'The id of the last event; resume the stream after it.',
  })
  lastEventId!: number;

  @ApiPropertyOptional({ type: RunErrorDto })
  error?: RunErrorDto;

  @ApiPropertyOptional({
    format: 'uri',
    description: 'The comment on GitHub, once posted (when the run completed, or later by `POST …/post`).',
  })
  commentUrl?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  finishedAt?: string;

  @ApiProperty()
  eventsUrl!: string;
}

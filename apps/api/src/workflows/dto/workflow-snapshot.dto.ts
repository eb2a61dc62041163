import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ERROR_CODES,
  type ErrorCode,
  RUN_STATES,
  type RunState,
  type RunUsage,
} from '@issuecast/workflow-events';
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

export class RunUsageDto implements RunUsage {
  @ApiProperty({
    example: 'gpt-4o-mini',
    description: '`offline` for the offline drafter, which uses no tokens.',
  })
  model!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  promptTokens!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  completionTokens!: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Milliseconds from the start of the run to the first token of the comment.',
  })
  timeToFirstTokenMs?: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Milliseconds from the start of the run to its end.',
  })
  durationMs!: number;
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
    description:
      'What `POST …/post` posts, once the run has one: the model’s comment (`text`), or the user’s edit of it (`PUT …/draft`).',
  })
  draft?: string;

  @ApiProperty({ description: 'Whether `draft` is the user’s edit rather than the model’s comment.' })
  draftEdited!: boolean;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'When posting was first tried, whether or not it succeeded: from then on `PUT …/draft` is refused (409); `POST …/post` may try again.',
  })
  postingAttemptedAt?: string;

  @ApiPropertyOptional({
    format: 'uri',
    description: 'The comment on GitHub, once posted (when the run completed, or later by `POST …/post`).',
  })
  commentUrl?: string;

  @ApiPropertyOptional({ description: 'The text that was posted, once posted (without the run’s marker).' })
  postedText?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The first run on the issue, when this run is another take of it (`POST …/retry`).',
  })
  parentWorkflowId?: string;

  @ApiPropertyOptional({ description: 'What the user asked this take to do differently.' })
  instructions?: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description:
      'Every take on the issue, the first run and its retries, oldest first (this one among them).',
  })
  takes!: string[];

  @ApiPropertyOptional({ type: RunUsageDto, description: 'What the run cost, once completed.' })
  usage?: RunUsageDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  finishedAt?: string;

  @ApiProperty()
  eventsUrl!: string;
}

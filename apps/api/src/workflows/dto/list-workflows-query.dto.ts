import { RUN_STATES, type RunState } from '@issuecast/workflow-events';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { REPOSITORY_PATTERN } from '../../github/repository-name';

export class ListWorkflowsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;

  @ApiPropertyOptional({ enum: RUN_STATES, description: 'Only the runs in this state.' })
  @IsOptional()
  @IsIn(RUN_STATES, { message: `state must be one of ${RUN_STATES.join(', ')}` })
  state?: RunState;

  @ApiPropertyOptional({
    example: 'octo-org/octo-repo',
    description: 'Only the runs on issues of this repository (`owner/name`), from GitHub or pasted.',
  })
  @IsOptional()
  @Matches(REPOSITORY_PATTERN, { message: 'repository must look like owner/name' })
  repository?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    example: 'csv export',
    description: 'Only the runs whose issue title contains this text, ignoring case.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

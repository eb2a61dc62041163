import type { RunPage, TokenTotals } from '@issuecast/workflows-api';
import { ApiProperty } from '@nestjs/swagger';
import { WorkflowSnapshotDto } from './workflow-snapshot.dto';

export class TokenTotalsDto implements TokenTotals {
  @ApiProperty({ type: 'integer', minimum: 0 })
  promptTokens!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  completionTokens!: number;
}

/** One page of the caller's runs, newest first. */
export class WorkflowPageDto implements RunPage {
  @ApiProperty({ type: [WorkflowSnapshotDto] })
  items!: WorkflowSnapshotDto[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many runs match, over all pages.' })
  total!: number;

  @ApiProperty({ type: TokenTotalsDto, description: 'The tokens of every run that matches, over all pages.' })
  usage!: TokenTotalsDto;
}

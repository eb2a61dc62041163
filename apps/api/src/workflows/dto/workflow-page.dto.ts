import type { RunPage } from '@issuecast/workflows-api';
import { ApiProperty } from '@nestjs/swagger';
import { WorkflowSnapshotDto } from './workflow-snapshot.dto';

/** One page of the caller's runs, newest first. */
export class WorkflowPageDto implements RunPage {
  @ApiProperty({ type: [WorkflowSnapshotDto] })
  items!: WorkflowSnapshotDto[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many runs there are in all.' })
  total!: number;
}

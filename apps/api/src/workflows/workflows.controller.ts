import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { workflowIdPipe } from '../workflow-events/workflow-id.pipe';
import { ListWorkflowsQueryDto } from './dto/list-workflows-query.dto';
import { StartCommentOnIssueDto } from './dto/start-comment-on-issue.dto';
import { WorkflowPageDto } from './dto/workflow-page.dto';
import { WorkflowSnapshotDto } from './dto/workflow-snapshot.dto';
import { WorkflowStartedDto } from './dto/workflow-started.dto';
import { WorkflowsService } from './workflows.service';

@ApiTags('workflows')
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post('comment-on-issue')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Start drafting a comment on an issue; the run goes on in the background' })
  @ApiAcceptedResponse({ type: WorkflowStartedDto })
  @ApiBadRequestResponse({ description: 'The body is invalid; the message names the field.' })
  start(@Body() request: StartCommentOnIssueDto): WorkflowStartedDto {
    return this.workflows.start(request);
  }

  @Get()
  @ApiOperation({ summary: 'The runs, newest first' })
  @ApiOkResponse({ type: WorkflowPageDto })
  list(@Query() query: ListWorkflowsQueryDto): WorkflowPageDto {
    return this.workflows.list(query);
  }

  @Get(':workflowId')
  @ApiOperation({ summary: 'A run as it stands: state, text so far, last event id' })
  @ApiOkResponse({ type: WorkflowSnapshotDto })
  @ApiNotFoundResponse({ description: 'No such run.' })
  snapshot(@Param('workflowId', workflowIdPipe) workflowId: string): WorkflowSnapshotDto {
    return this.workflows.snapshot(workflowId);
  }

  @Post(':workflowId/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop a run: the model request is aborted and the run ends as cancelled' })
  @ApiOkResponse({ type: WorkflowSnapshotDto })
  @ApiNotFoundResponse({ description: 'No such run.' })
  @ApiConflictResponse({ description: 'The run has already finished.' })
  cancel(@Param('workflowId', workflowIdPipe) workflowId: string): Promise<WorkflowSnapshotDto> {
    return this.workflows.cancel(workflowId);
  }
}

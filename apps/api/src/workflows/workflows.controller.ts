import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, type SignedInUser } from '../auth/signed-in-user';
import { RateLimit } from '../throttling/rate-limit.decorator';
import { workflowIdPipe } from './workflow-id.pipe';
import { ListWorkflowsQueryDto } from './dto/list-workflows-query.dto';
import { StartCommentOnIssueDto } from './dto/start-comment-on-issue.dto';
import { WorkflowPageDto } from './dto/workflow-page.dto';
import { WorkflowSnapshotDto } from './dto/workflow-snapshot.dto';
import { WorkflowStartedDto } from './dto/workflow-started.dto';
import { WorkflowsService } from './workflows.service';

@ApiTags('workflows')
@ApiBearerAuth()
@ApiCookieAuth()
@ApiUnauthorizedResponse({ description: 'Not signed in.' })
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post('comment-on-issue')
  @RateLimit('runStart')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Start drafting a comment on an issue; the run goes on in the background' })
  @ApiAcceptedResponse({ type: WorkflowStartedDto })
  @ApiBadRequestResponse({ description: 'The body is invalid; the message names the field.' })
  @ApiTooManyRequestsResponse({ description: 'Too many runs started or running; see Retry-After.' })
  start(@CurrentUser() user: SignedInUser, @Body() request: StartCommentOnIssueDto): WorkflowStartedDto {
    return this.workflows.start(user.username, request);
  }

  @Get()
  @ApiOperation({ summary: 'The runs, newest first' })
  @ApiOkResponse({ type: WorkflowPageDto })
  list(@CurrentUser() user: SignedInUser, @Query() query: ListWorkflowsQueryDto): WorkflowPageDto {
    return this.workflows.list(user.username, query);
  }

  @Get(':workflowId')
  @ApiOperation({ summary: 'A run as it stands: state, text so far, last event id' })
  @ApiOkResponse({ type: WorkflowSnapshotDto })
  @ApiNotFoundResponse({ description: 'No such run.' })
  snapshot(
    @CurrentUser() user: SignedInUser,
    @Param('workflowId', workflowIdPipe) workflowId: string,
  ): WorkflowSnapshotDto {
    return this.workflows.snapshot(user.username, workflowId);
  }

  @Post(':workflowId/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop a run: the model request is aborted and the run ends as cancelled' })
  @ApiOkResponse({ type: WorkflowSnapshotDto })
  @ApiNotFoundResponse({ description: 'No such run.' })
  @ApiConflictResponse({ description: 'The run has already finished.' })
  cancel(
    @CurrentUser() user: SignedInUser,
    @Param('workflowId', workflowIdPipe) workflowId: string,
  ): Promise<WorkflowSnapshotDto> {
    return this.workflows.cancel(user.username, workflowId);
  }

  @Post(':workflowId/post')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Post the finished comment on the GitHub issue, once; a repeat answers the same commentUrl',
  })
  @ApiOkResponse({ type: WorkflowSnapshotDto, description: 'The run, with `commentUrl`.' })
  @ApiNotFoundResponse({ description: 'No such run.' })
  @ApiConflictResponse({ description: 'The run is still running, has no comment, or has no GitHub issue.' })
  @ApiForbiddenResponse({
    description: "GitHub refused the server's token (GITHUB_TOKEN) access to the issue.",
  })
  @ApiUnprocessableEntityResponse({
    description: 'GitHub refused the comment: the issue is gone or the comment invalid.',
  })
  @ApiTooManyRequestsResponse({ description: "GitHub's rate limit; see Retry-After." })
  @ApiBadGatewayResponse({ description: 'GitHub could not be reached or did not answer.' })
  post(
    @CurrentUser() user: SignedInUser,
    @Param('workflowId', workflowIdPipe) workflowId: string,
  ): Promise<WorkflowSnapshotDto> {
    return this.workflows.post(user.username, workflowId);
  }
}

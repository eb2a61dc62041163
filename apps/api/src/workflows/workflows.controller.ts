import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiServiceUnavailableResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, type SignedInUser } from '../auth/signed-in-user';
import { RateLimit } from '../throttling/rate-limit.decorator';
import { workflowIdPipe } from './workflow-id.pipe';
import { EditDraftDto } from './dto/edit-draft.dto';
import { ListWorkflowsQueryDto } from './dto/list-workflows-query.dto';
import { RetryWorkflowDto } from './dto/retry-workflow.dto';
import { PastedIssueDto, StartCommentOnIssueDto } from './dto/start-comment-on-issue.dto';
import { START_COMMENT_ON_ISSUE_SCHEMA } from './dto/start-comment-on-issue.schema';
import { WorkflowPageDto } from './dto/workflow-page.dto';
import { WorkflowSnapshotDto } from './dto/workflow-snapshot.dto';
import { WorkflowStartedDto } from './dto/workflow-started.dto';
import { WorkflowsService } from './workflows.service';

@ApiTags('workflows')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post('comment-on-issue')
  @RateLimit('runStart')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start drafting a comment on an issue; the run goes on in the background',
    description:
      'Answers 202 at once with the run’s id and the URL of its event stream. The body names an issue on GitHub (`repository` and `issueNumber`), or pastes one (`issue`) for when GitHub is out of reach.',
  })
  @ApiExtraModels(PastedIssueDto)
  @ApiBody({ schema: START_COMMENT_ON_ISSUE_SCHEMA })
  @ApiAcceptedResponse({ type: WorkflowStartedDto })
  @ApiBadRequestResponse({ description: 'The body is invalid; `errors` names the fields.' })
  @ApiTooManyRequestsResponse({ description: 'Too many runs started or running; see Retry-After.' })
  @ApiServiceUnavailableResponse({
    description:
      'The server is shutting down, or (the shared mode) the run queue in Redis is unreachable; see Retry-After.',
  })
  start(
    @CurrentUser() user: SignedInUser,
    @Body() request: StartCommentOnIssueDto,
  ): Promise<WorkflowStartedDto> {
    return this.workflows.start(user.username, request);
  }

  @Get()
  @ApiOperation({
    summary: 'The runs, newest first',
    description:
      'The caller’s own runs, one page at a time, optionally only those in one state or on one repository.',
  })
  @ApiOkResponse({ type: WorkflowPageDto })
  @ApiBadRequestResponse({
    description: 'A query parameter is out of range or malformed; `errors` names it.',
  })
  list(@CurrentUser() user: SignedInUser, @Query() query: ListWorkflowsQueryDto): Promise<WorkflowPageDto> {
    return this.workflows.list(user.username, query);
  }

  @Get(':workflowId')
  @ApiOperation({
    summary: 'A run as it stands: state, text so far, last event id',
    description: 'Resume its event stream after `lastEventId` to follow it from here.',
  })
  @ApiOkResponse({ type: WorkflowSnapshotDto })
  @ApiBadRequestResponse({ description: 'workflowId is not a UUID.' })
  @ApiNotFoundResponse({ description: 'No such run, or another user’s.' })
  snapshot(
    @CurrentUser() user: SignedInUser,
    @Param('workflowId', workflowIdPipe) workflowId: string,
  ): Promise<WorkflowSnapshotDto> {
    return this.workflows.snapshot(user.username, workflowId);
  }

  @Post(':workflowId/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Stop a run: the model request is aborted and the run ends as cancelled',
    description:
      'The run’s stream ends with an `error` event of code `cancelled`, wherever the run executes (in the shared mode, on any worker).',
  })
  @ApiOkResponse({ type: WorkflowSnapshotDto })
  @ApiBadRequestResponse({ description: 'workflowId is not a UUID.' })
  @ApiNotFoundResponse({ description: 'No such run, or another user’s.' })
  @ApiConflictResponse({ description: 'The run has already finished.' })
  @ApiServiceUnavailableResponse({
    description:
      'The shared mode: Redis is unreachable, or the worker executing the run did not end it within 10 s; see Retry-After.',
  })
  cancel(
    @CurrentUser() user: SignedInUser,
    @Param('workflowId', workflowIdPipe) workflowId: string,
  ): Promise<WorkflowSnapshotDto> {
    return this.workflows.cancel(user.username, workflowId);
  }

  @Post(':workflowId/retry')
  @RateLimit('runStart')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start another take on the issue of a finished run, optionally saying what to do differently',
    description:
      'The new run drafts without posting, linked to the first run on the issue (`parentWorkflowId`); every take is listed in `takes`. `Try again` on a failed or interrupted run is this route without instructions.',
  })
  @ApiAcceptedResponse({ type: WorkflowStartedDto })
  @ApiBadRequestResponse({ description: 'workflowId is not a UUID, or `instructions` is invalid.' })
  @ApiNotFoundResponse({ description: 'No such run, or another user’s.' })
  @ApiConflictResponse({ description: 'The run is still running.' })
  @ApiTooManyRequestsResponse({ description: 'Too many runs started or running; see Retry-After.' })
  @ApiServiceUnavailableResponse({
    description: 'The server is shutting down; start the run again in a moment.',
  })
  retry(
    @CurrentUser() user: SignedInUser,
    @Param('workflowId', workflowIdPipe) workflowId: string,
    @Body() request: RetryWorkflowDto,
  ): Promise<WorkflowStartedDto> {
    return this.workflows.retry(user.username, workflowId, request);
  }

  @Put(':workflowId/draft')
  @ApiOperation({
    summary: 'Replace the comment a post will post with your edit of it',
    description:
      'For a completed run, until its comment is posted. The model’s comment stays in `text`; `draft` and `draftEdited` show the edit.',
  })
  @ApiOkResponse({ type: WorkflowSnapshotDto })
  @ApiBadRequestResponse({ description: 'workflowId is not a UUID, or `draft` is blank or too long.' })
  @ApiNotFoundResponse({ description: 'No such run, or another user’s.' })
  @ApiConflictResponse({
    description:
      'The run is still running, ended without a comment, or its comment is posted or being posted.',
  })
  editDraft(
    @CurrentUser() user: SignedInUser,
    @Param('workflowId', workflowIdPipe) workflowId: string,
    @Body() request: EditDraftDto,
  ): Promise<WorkflowSnapshotDto> {
    return this.workflows.editDraft(user.username, workflowId, request);
  }

  @Post(':workflowId/post')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Post the finished comment on the GitHub issue, once; a repeat answers the same commentUrl',
    description: 'For a run that drafted without posting, or whose posting failed at the end.',
  })
  @ApiOkResponse({ type: WorkflowSnapshotDto, description: 'The run, with `commentUrl`.' })
  @ApiBadRequestResponse({ description: 'workflowId is not a UUID.' })
  @ApiNotFoundResponse({ description: 'No such run, or another user’s.' })
  @ApiConflictResponse({
    description:
      'The run is still running, has no comment, or has no GitHub issue; or another request is posting its comment and has not finished within 10 s (ask again).',
  })
  @ApiForbiddenResponse({
    description: "GitHub refused the server's token (GITHUB_TOKEN) access to the issue.",
  })
  @ApiUnprocessableEntityResponse({
    description: 'GitHub refused the comment: the issue is gone or the comment invalid.',
  })
  @ApiTooManyRequestsResponse({ description: "GitHub's rate limit; see Retry-After." })
  @ApiBadGatewayResponse({ description: 'GitHub could not be reached or did not answer.' })
  @ApiServiceUnavailableResponse({ description: 'The server is shutting down; post again later.' })
  post(
    @CurrentUser() user: SignedInUser,
    @Param('workflowId', workflowIdPipe) workflowId: string,
  ): Promise<WorkflowSnapshotDto> {
    return this.workflows.post(user.username, workflowId);
  }
}

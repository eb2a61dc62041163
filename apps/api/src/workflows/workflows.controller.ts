import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
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
import { ListWorkflowsQueryDto } from './dto/list-workflows-query.dto';
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
    description: 'The server is shutting down; start the run again in a moment.',
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
    description: 'The run’s stream ends with an `error` event of code `cancelled`.',
  })
  @ApiOkResponse({ type: WorkflowSnapshotDto })
  @ApiBadRequestResponse({ description: 'workflowId is not a UUID.' })
  @ApiNotFoundResponse({ description: 'No such run, or another user’s.' })
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
    description: 'For a run that drafted without posting, or whose posting failed at the end.',
  })
  @ApiOkResponse({ type: WorkflowSnapshotDto, description: 'The run, with `commentUrl`.' })
  @ApiBadRequestResponse({ description: 'workflowId is not a UUID.' })
  @ApiNotFoundResponse({ description: 'No such run, or another user’s.' })
  @ApiConflictResponse({ description: 'The run is still running, has no comment, or has no GitHub issue.' })
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

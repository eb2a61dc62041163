import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
  type OnModuleDestroy,
  ServiceUnavailableException,
} from '@nestjs/common';
import { isFinished, reduceRunView } from '@issuecast/workflow-events';
import { workflowEventsUrl } from '@issuecast/workflows-api';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { LimitsConfig, StoreConfig } from '../config/app-config';
import { WorkflowEventLog } from '../event-log/workflow-event-log';
import { CommentOnIssueWorkflow } from './comment-on-issue.workflow';
import { CommentPoster } from './comment-poster.service';
import type { ListWorkflowsQueryDto } from './dto/list-workflows-query.dto';
import type { StartCommentOnIssueDto } from './dto/start-comment-on-issue.dto';
import type { WorkflowPageDto } from './dto/workflow-page.dto';
import type { WorkflowSnapshotDto } from './dto/workflow-snapshot.dto';
import type { WorkflowStartedDto } from './dto/workflow-started.dto';
import { cancelledByUser, interruptedByShutdown } from './run-stop-reasons';
import { type IssueSource, WorkflowRun } from './workflow-run';

/** How long shutdown waits for interrupted runs to emit their terminal event. */
const SHUTDOWN_GRACE_MS = 5_000;

/** Starts runs, keeps them while they are retained, and answers what they look like. */
@Injectable()
export class WorkflowsService implements OnModuleDestroy {
  /** In creation order, so the newest run is the last. */
  private readonly runs = new Map<string, WorkflowRun>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly expiries = new Map<string, NodeJS.Timeout>();
  /** Aborts later posts still waiting on GitHub when the server stops. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly workflow: CommentOnIssueWorkflow,
    private readonly poster: CommentPoster,
    private readonly log: WorkflowEventLog,
    private readonly limits: LimitsConfig,
    private readonly store: StoreConfig,
    @InjectPinoLogger(WorkflowsService.name) private readonly logger: PinoLogger,
  ) {}

  /** Starts a run in the background; its first event (`queued`) is emitted before this returns. */
  start(owner: string, request: StartCommentOnIssueDto): WorkflowStartedDto {
    // Stopping interrupts every run it finds; one started after that would be cut off unannounced.
    if (this.stopping.signal.aborted) {
      throw new ServiceUnavailableException('The server is shutting down; start the run again in a moment');
    }
    const source = issueSourceOf(request);
    this.assertBelowRunningCap(owner);
    const run = new WorkflowRun(randomUUID(), owner, source);
    this.runs.set(run.id, run);
    this.log.create(run.id, owner);
    this.log.subscribe(run.id, ({ event }) => (run.view = reduceRunView(run.view, event)));

    const done = this.workflow
      .run(run)
      .catch((error: unknown) => this.logger.error({ err: error, workflowId: run.id }, 'run crashed'))
      .finally(() => this.finish(run));
    this.running.set(run.id, done);
    return { workflowId: run.id, eventsUrl: workflowEventsUrl(run.id), status: run.view.state };
  }

  snapshot(owner: string, workflowId: string): WorkflowSnapshotDto {
    return snapshotOf(this.find(owner, workflowId));
  }

  list(owner: string, { page, pageSize }: ListWorkflowsQueryDto): WorkflowPageDto {
    const newestFirst = [...this.runs.values()].filter((run) => run.owner === owner).reverse();
    const items = newestFirst.slice((page - 1) * pageSize, page * pageSize).map(snapshotOf);
    return { items, page, pageSize, total: newestFirst.length };
  }

  /** Aborts a running run; it ends with an `error` event of code `cancelled`. */
  async cancel(owner: string, workflowId: string): Promise<WorkflowSnapshotDto> {
    const run = this.find(owner, workflowId);
    if (isFinished(run.view))
      throw new ConflictException(`Workflow ${workflowId} has already ${run.view.state}`);
    run.controller.abort(cancelledByUser());
    await this.running.get(workflowId);
    return snapshotOf(run);
  }

  /**
   * Posts the finished draft of a run on its GitHub issue, once: a repeat, or a post while another
   * is on its way, answers the same `commentUrl`. A run whose posting failed at the end may post
   * its draft this way too. GitHub's refusals are thrown as they are (`GitHubFailure`); the
   * `ProblemDetailsFilter` answers them.
   */
  async post(owner: string, workflowId: string): Promise<WorkflowSnapshotDto> {
    const run = this.find(owner, workflowId);
    if (run.source.kind !== 'github') {
      throw new ConflictException(`Workflow ${workflowId} has no GitHub issue to post to`);
    }
    if (!isFinished(run.view)) throw new ConflictException(`Workflow ${workflowId} is still running`);
    if (run.draft === undefined) {
      throw new ConflictException(
        `Workflow ${workflowId} ended (${run.view.state}) without a comment to post`,
      );
    }
    if (!run.draft.trim()) throw new ConflictException(`Workflow ${workflowId} has an empty comment`);
    await this.poster.post(run, this.stopping.signal);
    return snapshotOf(run);
  }

  /** Runs still going when the server stops end with an `interrupted` error, so clients learn of it. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort(new ServiceUnavailableException('The server is shutting down; post again later'));
    for (const run of this.runs.values()) run.controller.abort(interruptedByShutdown());
    const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([Promise.allSettled(this.running.values()), grace]);
    for (const expiry of this.expiries.values()) clearTimeout(expiry);
  }

  /** Another user's run is answered exactly as an unknown one, so ids cannot be probed. */
  private find(owner: string, workflowId: string): WorkflowRun {
    const run = this.runs.get(workflowId);
    if (run?.owner !== owner) throw new NotFoundException(`Workflow ${workflowId} was not found`);
    return run;
  }

  private assertBelowRunningCap(owner: string): void {
    const running = [...this.running.keys()].filter((id) => this.runs.get(id)?.owner === owner).length;
    if (running >= this.limits.runningRunsPerUser) {
      throw new HttpException(
        `You have ${running} runs going, the most allowed at once; wait for one to finish or cancel it`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  private finish(run: WorkflowRun): void {
    this.running.delete(run.id);
    const expiry = setTimeout(() => this.forget(run.id), this.store.retentionMs);
    expiry.unref();
    this.expiries.set(run.id, expiry);
  }

  private forget(workflowId: string): void {
    this.expiries.delete(workflowId);
    this.runs.delete(workflowId);
    this.log.delete(workflowId);
  }
}

function issueSourceOf({
  repository,
  issueNumber,
  issue,
  postToGitHub,
}: StartCommentOnIssueDto): IssueSource {
  if (issue) {
    if (issueNumber !== undefined) {
      throw new BadRequestException('issueNumber cannot be combined with a pasted issue');
    }
    if (postToGitHub) {
      throw new BadRequestException(
        'postToGitHub needs a GitHub issue (repository and issueNumber), not a pasted one',
      );
    }
    return { kind: 'pasted', issue: { title: issue.title, body: issue.body ?? '', repository } };
  }
  if (!repository) throw new BadRequestException('repository is required unless an issue is pasted');
  if (issueNumber === undefined) throw new BadRequestException('issueNumber is required with repository');
  return { kind: 'github', repository, issueNumber, postToGitHub: postToGitHub ?? false };
}

function snapshotOf(run: WorkflowRun): WorkflowSnapshotDto {
  const { view, source } = run;
  return {
    workflowId: run.id,
    status: view.state,
    issue: {
      repository: source.kind === 'github' ? source.repository : source.issue.repository,
      number: source.kind === 'github' ? source.issueNumber : undefined,
      title: run.title,
    },
    text: view.text,
    lastEventId: view.lastEventId,
    error: view.error,
    commentUrl: run.commentUrl ?? view.commentUrl,
    createdAt: run.createdAt,
    finishedAt: view.finishedAt,
    eventsUrl: workflowEventsUrl(run.id),
  };
}

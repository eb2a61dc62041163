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
import { isTerminalEvent } from '@issuecast/workflow-events';
import { workflowEventsUrl } from '@issuecast/workflows-api';
import { randomUUID } from 'node:crypto';
import { LimitsConfig } from '../config/app-config';
import { WorkflowEventLog } from '../event-log/workflow-event-log';
import { type IssueSource, repositoryOf, type RunRecord } from '../store/run-record';
import { RunStore } from '../store/run-store';
import { CommentPoster } from './comment-poster.service';
import type { ListWorkflowsQueryDto } from './dto/list-workflows-query.dto';
import type { EditDraftDto } from './dto/edit-draft.dto';
import type { RetryWorkflowDto } from './dto/retry-workflow.dto';
import type { StartCommentOnIssueDto } from './dto/start-comment-on-issue.dto';
import type { WorkflowPageDto } from './dto/workflow-page.dto';
import type { WorkflowSnapshotDto } from './dto/workflow-snapshot.dto';
import type { WorkflowStartedDto } from './dto/workflow-started.dto';
import { RunCancellation } from './run-cancellation';
import { RunDispatch } from './run-dispatch';
import { RunExecutor } from './run-executor';
import { replayView } from './run-outcome';
import { WorkflowRun } from './workflow-run';

/** How long a request waits for the outcome of a run whose terminal event is stored, and how often it looks. */
const OUTCOME_WAIT_MS = 5_000;
const OUTCOME_POLL_MS = 25;

/**
 * What the HTTP routes ask of runs: starts them (storing them and handing them to `RunDispatch`),
 * and answers what they look like from the store. `RunExecutor` executes them, here or on a worker.
 */
@Injectable()
export class WorkflowsService implements OnModuleDestroy {
  /** Aborts later posts still waiting on GitHub when the server stops. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly poster: CommentPoster,
    private readonly log: WorkflowEventLog,
    private readonly store: RunStore,
    private readonly limits: LimitsConfig,
    private readonly dispatcher: RunDispatch,
    private readonly executor: RunExecutor,
    private readonly cancellation: RunCancellation,
  ) {}

  /** Stores a new run and hands it to whoever executes it; answers once it is on its way. */
  async start(owner: string, request: StartCommentOnIssueDto): Promise<WorkflowStartedDto> {
    return this.launch(new WorkflowRun(randomUUID(), owner, issueSourceOf(request)));
  }

  /**
   * Starts another take on the issue of a finished run, with what the user asks of it; takes of a
   * take are takes of the first run. It drafts without posting: the user reviews it first.
   */
  async retry(
    owner: string,
    workflowId: string,
    { instructions }: RetryWorkflowDto,
  ): Promise<WorkflowStartedDto> {
    const record = await this.finished(await this.find(owner, workflowId));
    const { source } = record;
    const take = {
      parentId: record.parentId ?? record.id,
      ...(instructions?.trim() && { instructions: instructions.trim() }),
    };
    const again: IssueSource = source.kind === 'github' ? { ...source, postToGitHub: false } : source;
    return this.launch(new WorkflowRun(randomUUID(), owner, again, take));
  }

  private async launch(run: WorkflowRun): Promise<WorkflowStartedDto> {
    // Stopping interrupts every run it finds; one started after that would be cut off unannounced.
    if (this.stopping.signal.aborted) {
      throw new ServiceUnavailableException('The server is shutting down; start the run again in a moment');
    }
    const cap = this.limits.runningRunsPerUser;
    if (!(await this.store.insertRun(run.toRecord(), { maxUnfinishedOfOwner: cap }))) {
      throw new HttpException(
        `You have ${cap} runs going, the most allowed at once; wait for one to finish or cancel it`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    await this.dispatcher.dispatch(run);
    return { workflowId: run.id, eventsUrl: workflowEventsUrl(run.id), status: run.view.state };
  }

  async snapshot(owner: string, workflowId: string): Promise<WorkflowSnapshotDto> {
    const [snapshot] = await this.snapshotsOf([await this.find(owner, workflowId)]);
    return snapshot;
  }

  async list(
    owner: string,
    { page, pageSize, state, repository, q }: ListWorkflowsQueryDto,
  ): Promise<WorkflowPageDto> {
    const offset = (page - 1) * pageSize;
    const { runs, total, promptTokens, completionTokens } = await this.store.listRuns({
      owner,
      state,
      repository: repository?.toLowerCase(),
      titleContains: q?.trim() || undefined,
      offset,
      limit: pageSize,
    });
    const items = await this.snapshotsOf(runs);
    return { items, page, pageSize, total, usage: { promptTokens, completionTokens } };
  }

  /**
   * Keeps the user's edit of a completed run's comment, which a post then posts instead; the
   * model's comment stays as `text`. Refused while running, without a comment, and once posting began.
   */
  async editDraft(owner: string, workflowId: string, { draft }: EditDraftDto): Promise<WorkflowSnapshotDto> {
    const record = await this.finished(await this.find(owner, workflowId));
    if (record.draft === undefined) {
      throw new ConflictException(`Workflow ${workflowId} ended (${record.state}) without a comment to edit`);
    }
    if (!(await this.store.saveEditedDraft(workflowId, draft))) {
      throw new ConflictException(
        `Workflow ${workflowId}'s comment has been posted, or is being posted: it can no longer be edited`,
      );
    }
    return this.snapshot(owner, workflowId);
  }

  /** Aborts a running run, wherever it executes; it ends with an `error` event of code `cancelled`. */
  async cancel(owner: string, workflowId: string): Promise<WorkflowSnapshotDto> {
    const record = await this.find(owner, workflowId);
    if (record.finishedAt) throw new ConflictException(`Workflow ${workflowId} has already ${record.state}`);
    if (!(await this.cancellation.cancel(workflowId))) {
      const { status } = await this.snapshot(owner, workflowId);
      throw new ConflictException(`Workflow ${workflowId} has already ${status}`);
    }
    return this.snapshot(owner, workflowId);
  }

  /**
   * Posts the finished draft of a run on its GitHub issue, once: a repeat, or a post while another
   * is on its way, answers the same `commentUrl`. A run whose posting failed at the end may post
   * its draft this way too. GitHub's refusals are thrown as they are (`GitHubFailure`); the
   * `ProblemDetailsFilter` answers them.
   */
  async post(owner: string, workflowId: string): Promise<WorkflowSnapshotDto> {
    const found = await this.find(owner, workflowId);
    const { source } = found;
    if (source.kind !== 'github') {
      throw new ConflictException(`Workflow ${workflowId} has no GitHub issue to post to`);
    }
    const record = await this.finished(found);
    const { draft } = record;
    if (!record.commentUrl) {
      if (draft === undefined) {
        throw new ConflictException(
          `Workflow ${workflowId} ended (${record.state}) without a comment to post`,
        );
      }
      if (!(record.editedDraft ?? draft).trim()) {
        throw new ConflictException(`Workflow ${workflowId} has an empty comment`);
      }
      await this.poster.post({ workflowId, source, draft }, this.stopping.signal);
    }
    return this.snapshot(owner, workflowId);
  }

  onModuleDestroy(): void {
    this.stopping.abort(new ServiceUnavailableException('The server is shutting down; post again later'));
  }

  /**
   * The run's record once finished, or a 409 while it runs. A run whose terminal event is stored has
   * its outcome stored a moment later, by whichever process executes it: a client that acts on the
   * end it just streamed waits for that moment rather than being told the run is still going.
   */
  private async finished(record: RunRecord): Promise<RunRecord> {
    const { id } = record;
    if (record.finishedAt) return record;
    const last = (await this.log.last(id))?.event;
    const deadline = Date.now() + OUTCOME_WAIT_MS;
    while (last && isTerminalEvent(last) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, OUTCOME_POLL_MS));
      const stored = await this.store.findRun(id);
      if (stored?.finishedAt) return stored;
    }
    throw new ConflictException(`Workflow ${id} is still running`);
  }

  /** Another user's run is answered exactly as an unknown one, so ids cannot be probed. */
  private async find(owner: string, workflowId: string): Promise<RunRecord> {
    const record = await this.store.findRun(workflowId);
    if (record?.owner !== owner) throw new NotFoundException(`Workflow ${workflowId} was not found`);
    return record;
  }

  /** The runs' snapshots, their takes read in one query. */
  private async snapshotsOf(records: readonly RunRecord[]): Promise<WorkflowSnapshotDto[]> {
    const takes = await this.store.takesOf([...new Set(records.map(rootOf))]);
    return Promise.all(records.map((record) => this.snapshotOf(record, takes.get(rootOf(record)) ?? [])));
  }

  private async snapshotOf(record: RunRecord, takes: string[]): Promise<WorkflowSnapshotDto> {
    const running = this.executor.running(record.id);
    const view = running?.view ?? (record.finishedAt ? record : await replayView(this.log, record.id));
    const { source } = record;
    return {
      workflowId: record.id,
      status: view.state,
      issue: {
        repository: repositoryOf(source),
        number: source.kind === 'github' ? source.issueNumber : undefined,
        title: running?.title ?? record.title,
      },
      text: view.text,
      lastEventId: view.lastEventId,
      error: view.error,
      draft: record.editedDraft ?? record.draft,
      draftEdited: record.editedDraft !== undefined && record.editedDraft !== record.draft,
      postingAttemptedAt: record.postingAttemptedAt,
      commentUrl: record.commentUrl ?? running?.commentUrl ?? view.commentUrl,
      postedText: record.postedText,
      parentWorkflowId: record.parentId,
      instructions: record.instructions,
      takes,
      usage: view.usage,
      createdAt: record.createdAt,
      finishedAt: view.finishedAt,
      eventsUrl: workflowEventsUrl(record.id),
    };
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

/** The first run on the issue: this one, unless it is another take. */
function rootOf(record: RunRecord): string {
  return record.parentId ?? record.id;
}

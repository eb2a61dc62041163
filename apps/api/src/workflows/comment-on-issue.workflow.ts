import { Injectable } from '@nestjs/common';
import type { RunStep, WorkflowEventData, WorkflowEventType } from '@issuecast/workflow-events';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { LimitsConfig, RedactionConfig } from '../config/app-config';
import { redactSecrets } from '../config/secrets';
import { GitHubContents } from '../github/github-contents';
import { GitHubIssues } from '../github/github-issues';
import { GitHubRepositoryTools } from '../github/github-repository-tools';
import { type IssueToDraft, LlmProvider, type TokenUsage } from '../llm/llm-provider';
import { BoundedToolSession, type ToolCallListener } from '../llm/tool-session';
import { WorkflowEventEmitter } from '../event-log/workflow-event-emitter.service';
import { CommentPoster } from './comment-poster.service';
import { RunFailure } from '../run-failure/run-failure';
import { UsageMeter } from './usage-meter';
import type { WorkflowRun } from './workflow-run';

type Emit = <T extends WorkflowEventType>(type: T, data: WorkflowEventData<T>) => unknown;

/**
 * `commentOnIssue`: gets the issue, has the model read the repository and draft a comment, streams
 * it as events, and posts it when asked to. Every run ends with exactly one terminal event,
 * whatever happens.
 */
@Injectable()
export class CommentOnIssueWorkflow {
  constructor(
    private readonly emitter: WorkflowEventEmitter,
    private readonly issues: GitHubIssues,
    private readonly contents: GitHubContents,
    private readonly llm: LlmProvider,
    private readonly poster: CommentPoster,
    private readonly limits: LimitsConfig,
    private readonly redaction: RedactionConfig,
    @InjectPinoLogger(CommentOnIssueWorkflow.name) private readonly logger: PinoLogger,
  ) {}

  /** Runs to the end; the `queued` event is emitted before the first `await`, so before this returns. */
  async run(run: WorkflowRun): Promise<void> {
    const log = this.logger.logger.child({ workflowId: run.id });
    const emit: Emit = (type, data) => this.emitter.emit(run.id, type, data);
    let step: RunStep = 'queued';
    const enter = (next: RunStep, content: string) => {
      if (step === next) return;
      step = next;
      emit('status', { step, content });
    };
    const meter = new UsageMeter(this.llm.model);
    emit('status', { step: 'queued', content: 'Queued' });
    log.info({ source: run.source.kind }, 'run queued');
    try {
      const issue = this.redacted(await this.issueOf(run, emit));
      const tools = this.toolsFor(run, issue, {
        onCall: (call) => {
          enter('reading_repository', `Reading ${issue.repository}`);
          emit('tool_call', call);
        },
        onResult: (result) => {
          emit('tool_result', result);
          log.debug({ tool: result.tool, callId: result.callId, ok: result.ok }, 'tool called');
        },
      });
      if (tools) enter('reading_repository', `Reading ${issue.repository} to find the code involved`);
      else enter('drafting', 'Drafting the comment');

      let comment = '';
      const write = (delta: string) => {
        run.signal.throwIfAborted();
        enter('drafting', 'Writing the comment');
        comment += delta;
        meter.firstToken();
        emit('llm_response', { content: delta });
      };
      const { instructions, signal } = run;
      const onUsage = (usage: TokenUsage) => meter.add(usage);
      for await (const delta of this.llm.draftComment({ issue, instructions, signal, tools, onUsage })) {
        write(delta);
      }
      if (tools?.limitNote) write(`${comment ? '\n\n' : ''}---\n\n**Note:** ${tools.limitNote}`);
      run.draft = comment;

      const commentUrl = await this.postIfAsked(run, comment, enter);
      emit('complete', { content: comment, ...(commentUrl && { commentUrl }), usage: meter.usage() });
      log.info({ characters: comment.length, posted: commentUrl !== undefined }, 'run completed');
    } catch (error) {
      const failure = asRunFailure(run.signal.aborted ? run.signal.reason : error);
      // The log has ended the run with this failure already: its store refused the run's events.
      if (failure.code === 'store_failed')
        return log.error({ reason: failure.message }, 'run stopped: its events could not be stored');
      // Another process holds the run's lease and ends it: this one writes nothing more of it.
      if (failure.code === 'worker_lost') return log.warn('run stopped: another process holds its lease');
      if (failure.code === 'internal') log.error({ err: error }, 'run failed unexpectedly');
      else log.warn({ code: failure.code, reason: failure.message }, 'run ended with an error');
      emit('error', { content: failure.message, code: failure.code, retryable: failure.retryable });
    }
  }

  private async issueOf(run: WorkflowRun, emit: Emit): Promise<IssueToDraft> {
    const { source } = run;
    if (source.kind === 'pasted') return source.issue;
    const ref = `${source.repository}#${source.issueNumber}`;
    emit('status', { step: 'fetching_issue', content: `Fetching ${ref} from GitHub` });
    const issue = await this.issues.getIssue(source.repository, source.issueNumber, run.signal);
    run.title = issue.title;
    return issue;
  }

  /** The repository's tools, when the run has a repository and the model can use them. */
  private toolsFor(run: WorkflowRun, issue: IssueToDraft, listener: ToolCallListener) {
    if (!issue.repository || !this.llm.supportsTools) return undefined;
    const tools = new GitHubRepositoryTools(this.contents, issue.repository);
    return new BoundedToolSession(tools, this.limits.tools, listener, run.signal, this.redaction.secrets);
  }

  /** Posts the comment when the run was started with `postToGitHub`; answers its URL. */
  private async postIfAsked(
    run: WorkflowRun,
    comment: string,
    enter: (step: RunStep, content: string) => void,
  ): Promise<string | undefined> {
    const { source } = run;
    if (source.kind !== 'github' || !source.postToGitHub) return undefined;
    const ref = `${source.repository}#${source.issueNumber}`;
    enter('posting', `Posting the comment on ${ref}`);
    if (!comment.trim()) {
      throw new RunFailure(
        'llm_failed',
        `The model wrote an empty comment; nothing was posted on ${ref}.`,
        true,
      );
    }
    try {
      run.commentUrl = await this.poster.post({ workflowId: run.id, source, draft: comment }, run.signal);
      return run.commentUrl;
    } catch (error) {
      if (run.signal.aborted || !(error instanceof RunFailure)) throw error;
      throw new RunFailure(
        error.code,
        `The comment was drafted but not posted. ${error.message}`,
        error.retryable,
        { cause: error },
      );
    }
  }

  /** The issue without any configured secret in it, should someone have pasted one. */
  private redacted(issue: IssueToDraft): IssueToDraft {
    const redact = (text: string) => redactSecrets(text, this.redaction.secrets);
    return {
      ...issue,
      title: redact(issue.title),
      body: redact(issue.body),
      comments: issue.comments?.map((comment) => ({ ...comment, body: redact(comment.body) })),
    };
  }
}

/** Anything that is not a `RunFailure` is a bug: the user gets a plain message, the log the details. */
function asRunFailure(error: unknown): RunFailure {
  if (error instanceof RunFailure) return error;
  return new RunFailure('internal', 'Something went wrong on our side while drafting the comment.', true, {
    cause: error,
  });
}

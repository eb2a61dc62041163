import { Injectable } from '@nestjs/common';
import type { WorkflowEventData, WorkflowEventType } from '@issuecast/workflow-events';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { GitHubService } from '../github/github.service';
import { type IssueToDraft, LlmProvider } from '../llm/llm-provider';
import { WorkflowEventEmitter } from '../workflow-events/workflow-event-emitter.service';
import { RunFailure } from './run-failure';
import type { WorkflowRun } from './workflow-run';

/**
 * `commentOnIssue`: gets the issue, has the model draft a comment, and streams it as events.
 * Every run ends with exactly one terminal event, whatever happens.
 */
@Injectable()
export class CommentOnIssueWorkflow {
  constructor(
    private readonly emitter: WorkflowEventEmitter,
    private readonly github: GitHubService,
    private readonly llm: LlmProvider,
    @InjectPinoLogger(CommentOnIssueWorkflow.name) private readonly logger: PinoLogger,
  ) {}

  /** Runs to the end; the `queued` event is emitted before the first `await`, so before this returns. */
  async run(run: WorkflowRun): Promise<void> {
    const log = this.logger.logger.child({ workflowId: run.id });
    const emit = <T extends WorkflowEventType>(type: T, data: WorkflowEventData<T>) =>
      this.emitter.emit(run.id, type, data);
    emit('status', { step: 'queued', content: 'Queued' });
    log.info({ source: run.source.kind }, 'run queued');
    try {
      const issue = await this.issueOf(run, emit);
      emit('status', { step: 'drafting', content: 'Drafting the comment' });
      let comment = '';
      for await (const delta of this.llm.draftComment({ issue, signal: run.signal })) {
        run.signal.throwIfAborted();
        comment += delta;
        emit('llm_response', { content: delta });
      }
      emit('complete', { content: comment });
      log.info({ characters: comment.length }, 'run completed');
    } catch (error) {
      const failure = asRunFailure(run.signal.aborted ? run.signal.reason : error);
      if (failure.code === 'internal') log.error({ err: error }, 'run failed unexpectedly');
      else log.warn({ code: failure.code, reason: failure.message }, 'run ended with an error');
      emit('error', { content: failure.message, code: failure.code, retryable: failure.retryable });
    }
  }

  private async issueOf(
    run: WorkflowRun,
    emit: (type: 'status', data: WorkflowEventData<'status'>) => unknown,
  ): Promise<IssueToDraft> {
    const { source } = run;
    if (source.kind === 'pasted') return source.issue;
    const ref = `${source.repository}#${source.issueNumber}`;
    emit('status', { step: 'fetching_issue', content: `Fetching ${ref} from GitHub` });
    const issue = await this.github.getIssue(source.repository, source.issueNumber, run.signal);
    run.title = issue.title;
    return issue;
  }
}

/** Anything that is not a `RunFailure` is a bug: the user gets a plain message, the log the details. */
function asRunFailure(error: unknown): RunFailure {
  if (error instanceof RunFailure) return error;
  return new RunFailure('internal', 'Something went wrong on our side while drafting the comment.', true, {
    cause: error,
  });
}

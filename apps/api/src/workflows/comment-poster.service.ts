import { Injectable } from '@nestjs/common';
import { GitHubIssues } from '../github/github-issues';
import type { WorkflowRun } from './workflow-run';

/** The hidden line at the end of a posted comment that tells which run posted it. */
export function commentMarker(workflowId: string): string {
  return `<!-- issuecast:run=${workflowId} -->`;
}

/**
 * Posts the draft of a run on its GitHub issue, exactly once: a run that has posted answers its
 * URL again, concurrent posts of the same run share one attempt, and GitHub itself is searched for
 * the run's marker before a comment is created (`GitHubIssues.postComment`).
 */
@Injectable()
export class CommentPoster {
  private readonly posting = new Map<string, Promise<string>>();

  constructor(private readonly issues: GitHubIssues) {}

  /** The URL of the run's comment, posted now or before. The run must have a GitHub issue and a draft. */
  post(run: WorkflowRun, signal: AbortSignal): Promise<string> {
    if (run.commentUrl) return Promise.resolve(run.commentUrl);
    const { source, draft } = run;
    if (source.kind !== 'github' || draft === undefined) {
      return Promise.reject(new Error(`Workflow ${run.id} has no GitHub issue or no draft to post`));
    }
    let pending = this.posting.get(run.id);
    if (!pending) {
      pending = this.issues
        .postComment(source.repository, source.issueNumber, draft, commentMarker(run.id), signal)
        .then((url) => (run.commentUrl = url))
        .finally(() => this.posting.delete(run.id));
      this.posting.set(run.id, pending);
    }
    return pending;
  }
}

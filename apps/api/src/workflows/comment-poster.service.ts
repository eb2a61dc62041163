import { Injectable } from '@nestjs/common';
import { GitHubIssues } from '../github/github-issues';
import type { IssueSource } from '../store/run-record';
import { RunStore } from '../store/run-store';

/** The hidden line at the end of a posted comment that tells which run posted it. */
export function commentMarker(workflowId: string): string {
  return `<!-- issuecast:run=${workflowId} -->`;
}

/** A run's comment to post, on the GitHub issue it was drafted for. */
export interface CommentToPost {
  workflowId: string;
  source: Extract<IssueSource, { kind: 'github' }>;
  /** The model's comment: posted unless the store holds the user's edit of it. */
  draft: string;
}

/**
 * Posts the draft of a run on its GitHub issue, exactly once, across restarts: the attempt is
 * recorded in the store before GitHub is asked, GitHub itself is searched for the run's marker
 * before a comment is created (`GitHubIssues.postComment`), and the URL and the text are stored once posted.
 * Concurrent posts of the same run share one attempt.
 */
@Injectable()
export class CommentPoster {
  private readonly posting = new Map<string, Promise<string>>();

  constructor(
    private readonly issues: GitHubIssues,
    private readonly store: RunStore,
  ) {}

  /** The URL of the run's comment, posted now or by an attempt before. */
  post(comment: CommentToPost, signal: AbortSignal): Promise<string> {
    let pending = this.posting.get(comment.workflowId);
    if (!pending) {
      pending = this.attempt(comment, signal).finally(() => this.posting.delete(comment.workflowId));
      this.posting.set(comment.workflowId, pending);
    }
    return pending;
  }

  private async attempt({ workflowId, source, draft }: CommentToPost, signal: AbortSignal): Promise<string> {
    await this.store.claimPosting(workflowId, new Date().toISOString());
    // Read after the claim: an edit stored before it is posted, and none can be stored after it.
    const text = (await this.store.findRun(workflowId))?.editedDraft ?? draft;
    const { repository, issueNumber } = source;
    const url = await this.issues.postComment(
      repository,
      issueNumber,
      text,
      commentMarker(workflowId),
      signal,
    );
    await this.store.updateRun(workflowId, { commentUrl: url, postedText: text });
    return url;
  }
}

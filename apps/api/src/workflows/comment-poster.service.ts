import { ConflictException, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { GitHubFailure } from '../github/github-failure';
import { GitHubIssues } from '../github/github-issues';
import type { IssueSource } from '../store/run-record';
import { RunStore } from '../store/run-store';

/** How long the holder of a claim to post tries before it gives up and frees the claim. */
const POSTING_TIME_LIMIT_MS = 100_000;
/** How long a claim lasts when its holder never frees it (it crashed): longer, for clocks that differ. */
const POSTING_CLAIM_MS = POSTING_TIME_LIMIT_MS + 20_000;
/** How long a post that found the claim taken waits for the holder's comment before answering 409. */
const POSTING_WAIT_MS = 10_000;
/** How often a waiting post looks at the store. */
const POSTING_POLL_MS = 100;

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
 * Posts the draft of a run on its GitHub issue, exactly once, across restarts and instances: a post
 * claims the attempt in the store before GitHub is asked, and only the holder of the claim creates;
 * GitHub itself is searched for the run's marker before a comment is created
 * (`GitHubIssues.postComment`), and the URL and the text are stored once posted. A post that finds
 * the claim taken waits for the holder's URL (up to `POSTING_WAIT_MS`, then 409); concurrent posts
 * in this process share one attempt. A claim whose holder failed is freed; one whose holder died
 * runs out after `POSTING_CLAIM_MS`. The first attempt's time stays, so the draft never changes.
 */
@Injectable()
export class CommentPoster {
  private readonly posting = new Map<string, Promise<string>>();

  constructor(
    private readonly issues: GitHubIssues,
    private readonly store: RunStore,
  ) {}

  /** The URL of the run's comment, posted now or by an attempt before or elsewhere. */
  post(comment: CommentToPost, signal: AbortSignal): Promise<string> {
    let pending = this.posting.get(comment.workflowId);
    if (!pending) {
      pending = this.claimOrWait(comment, signal).finally(() => this.posting.delete(comment.workflowId));
      this.posting.set(comment.workflowId, pending);
    }
    return pending;
  }

  private async claimOrWait(comment: CommentToPost, signal: AbortSignal): Promise<string> {
    const { workflowId } = comment;
    const waitUntil = Date.now() + POSTING_WAIT_MS;
    for (;;) {
      const now = Date.now();
      const until = new Date(now + POSTING_CLAIM_MS).toISOString();
      if (await this.store.claimPosting(workflowId, new Date(now).toISOString(), until)) {
        return this.postClaimed(comment, signal);
      }
      const { commentUrl } = (await this.store.findRun(workflowId)) ?? {};
      if (commentUrl) return commentUrl;
      if (Date.now() >= waitUntil) {
        throw new ConflictException(
          `The comment of workflow ${workflowId} is being posted by another request; ask again in a moment`,
        );
      }
      await sleep(POSTING_POLL_MS, undefined, { signal }).catch((error: unknown) => {
        signal.throwIfAborted();
        throw error;
      });
    }
  }

  private async postClaimed(
    { workflowId, source, draft }: CommentToPost,
    signal: AbortSignal,
  ): Promise<string> {
    const timeLimit = new AbortController();
    const timer = setTimeout(
      () =>
        timeLimit.abort(
          new GitHubFailure(
            `GitHub did not confirm the comment within ${POSTING_TIME_LIMIT_MS / 1_000} s. Try posting again.`,
            { retryable: true },
          ),
        ),
      POSTING_TIME_LIMIT_MS,
    );
    try {
      // Read after the claim: an edit stored before it is posted, and none can be stored after it.
      const text = (await this.store.findRun(workflowId))?.editedDraft ?? draft;
      const { repository, issueNumber } = source;
      const url = await this.issues.postComment(
        repository,
        issueNumber,
        text,
        commentMarker(workflowId),
        AbortSignal.any([signal, timeLimit.signal]),
      );
      await this.store.updateRun(workflowId, {
        commentUrl: url,
        postedText: text,
        postingClaimedUntil: undefined,
      });
      return url;
    } catch (error) {
      // Another post may try at once; it looks for the marker first, in case this one created it.
      await this.store.updateRun(workflowId, { postingClaimedUntil: undefined }).catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

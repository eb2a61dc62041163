import type { RunState } from '@issuecast/workflow-events';

/** An issue pasted in, for when GitHub is out of reach. */
export interface PastedIssue {
  title: string;
  /** Markdown, as on GitHub. */
  body?: string;
}

/**
 * What `POST /api/workflows/comment-on-issue` takes: a GitHub issue (`repository` + `issueNumber`) or a
 * pasted `issue` (with `repository`, the model may read that repository's code).
 */
export interface StartRunRequest {
  /** `owner/name`. */
  repository?: string;
  issueNumber?: number;
  issue?: PastedIssue;
  /** Post the comment on the GitHub issue as soon as it is drafted; only with `repository` and `issueNumber`. */
  postToGitHub?: boolean;
}

/** The `202` of `POST /api/workflows/comment-on-issue`: the run goes on in the background. */
export interface RunStarted {
  workflowId: string;
  /** The run's SSE stream, as `workflowEventsUrl` gives it. */
  eventsUrl: string;
  status: RunState;
}

/** The longest `instructions` a retry takes, in characters. */
export const INSTRUCTIONS_MAX_LENGTH = 500;

/** The longest edited draft, in characters: GitHub's limit for a comment, less room for the run's marker. */
export const DRAFT_MAX_LENGTH = 65_000;

/** What `POST /api/workflows/:workflowId/retry` takes: another take on the same issue. */
export interface RetryRunRequest {
  /** What to do differently ("shorter", "ask for the logs"): untrusted, like the issue. */
  instructions?: string;
}

/** What `PUT /api/workflows/:workflowId/draft` takes: the comment to post instead of the model's. */
export interface EditDraftRequest {
  /** Markdown. */
  draft: string;
}

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

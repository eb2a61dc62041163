import type { ErrorCode, RunState, RunUsage } from '@issuecast/workflow-events';

/** The issue a run is about: a GitHub issue (`repository` + `number`) or a pasted one (`title`). */
export interface IssueRef {
  repository?: string;
  number?: number;
  /** Known once the issue was pasted or fetched. */
  title?: string;
}

/** Why a run failed, fit to show to its user. */
export interface RunError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/** A run as it stands: what `GET /api/workflows/:workflowId` answers. */
export interface RunSnapshot {
  workflowId: string;
  status: RunState;
  issue: IssueRef;
  /** The draft so far, or the final comment once completed (Markdown). */
  text: string;
  /** The id of the last event; resume the stream after it. */
  lastEventId: number;
  error?: RunError;
  /**
   * What `Post to GitHub` posts, once the run has one: the model's comment, or the user's edit of it
   * (`PUT …/draft`).
   */
  draft?: string;
  /** Whether `draft` is the user's edit rather than the model's comment (which `text` keeps). */
  draftEdited: boolean;
  /**
   * When posting was first tried (ISO 8601), whether or not it succeeded: from then on the draft
   * can no longer be edited, only posted again.
   */
  postingAttemptedAt?: string;
  /** The comment on GitHub, once posted. */
  commentUrl?: string;
  /** The text that was posted, once posted (without the run's marker). */
  postedText?: string;
  /** The run this one is another take of (`POST …/retry`): the first run on the issue. */
  parentWorkflowId?: string;
  /** What the user asked this take to do differently. */
  instructions?: string;
  /** Every take on the issue, the first run and its retries, oldest first (this one among them). */
  takes: string[];
  /** What the run cost, once completed. */
  usage?: RunUsage;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  finishedAt?: string;
  /** The run's SSE stream, as `workflowEventsUrl` gives it. */
  eventsUrl: string;
}

/** One page of `GET /api/workflows`: the caller's runs, newest first. */
export interface RunPage {
  items: RunSnapshot[];
  page: number;
  pageSize: number;
  /** How many runs match, over all pages. */
  total: number;
  /** The tokens of every run that matches, over all pages. */
  usage: TokenTotals;
}

/** Tokens summed over runs. */
export interface TokenTotals {
  promptTokens: number;
  completionTokens: number;
}

import type { ErrorCode, RunState } from '@issuecast/workflow-events';

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
  /** The comment on GitHub, once posted. */
  commentUrl?: string;
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
  /** How many runs there are in all. */
  total: number;
}

import type { ErrorCode, RunState } from '@issuecast/workflow-events';

/** The issue a run is about: a GitHub issue (`repository` + `number`) or a pasted one (`title`). */
export interface IssueRef {
  repository?: string;
  number?: number;
  title?: string;
}

/** A run as `GET /api/workflows/:workflowId` describes it. */
export interface RunSnapshot {
  workflowId: string;
  status: RunState;
  issue: IssueRef;
  text: string;
  lastEventId: number;
  error?: { code: ErrorCode; message: string; retryable: boolean };
  commentUrl?: string;
  createdAt: string;
  finishedAt?: string;
  eventsUrl: string;
}

/** One page of `GET /api/workflows`, newest first. */
export interface RunPage {
  items: RunSnapshot[];
  page: number;
  pageSize: number;
  total: number;
}

/** What `POST /api/workflows/comment-on-issue` takes. */
export type StartRunRequest =
  | { repository: string; issueNumber: number; postToGitHub?: true }
  | { issue: { title: string; body?: string } };

/** The `202` of `POST /api/workflows/comment-on-issue`. */
export interface RunStarted {
  workflowId: string;
  eventsUrl: string;
  status: RunState;
}

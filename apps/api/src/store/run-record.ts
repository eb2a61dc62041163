import type { ErrorCode, RunState, RunUsage, WorkflowEventType } from '@issuecast/workflow-events';

/** An issue the model may draft a comment on, as pasted or fetched. */
interface PastedIssue {
  title: string;
  body: string;
  /** `owner/name`, when the user says which repository the issue is about. */
  repository?: string;
}

/** Where the issue of a run comes from. */
export type IssueSource =
  | {
      kind: 'github';
      repository: string;
      issueNumber: number;
      /** Post the comment on the issue as soon as it is drafted. */
      postToGitHub?: boolean;
    }
  | { kind: 'pasted'; issue: PastedIssue };

/** Why a run failed, as its `error` event said. */
export interface RunError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/**
 * A run as the store keeps it. While it is going, only `state` follows it (for listing); once
 * finished, the fields from `text` on are its outcome, written after its terminal event was stored.
 */
export interface RunRecord {
  readonly id: string;
  /** The user who started it; nobody else can see it. */
  readonly owner: string;
  readonly source: IssueSource;
  readonly createdAt: string;
  /** The issue's title, once pasted or fetched. */
  title?: string;
  state: RunState;
  /** The text the run ended with, complete or not ('' before it has finished). */
  text: string;
  /** The whole comment, once the model finished writing it. */
  draft?: string;
  /** The user's edit of `draft`, which a post posts instead. */
  editedDraft?: string;
  /** The id of the run's last event once finished (0 before). */
  lastEventId: number;
  error?: RunError;
  finishedAt?: string;
  /** The posted comment's URL, by the run itself or by a later post. */
  commentUrl?: string;
  /** When a post of the comment was first attempted: recorded before GitHub is asked to create it. */
  postingAttemptedAt?: string;
  /** Until when the post now being attempted holds its claim; cleared once it has ended. */
  postingClaimedUntil?: string;
  /** The text posted (without the marker), stored with `commentUrl`. */
  postedText?: string;
  /** The first run on the issue, when this run is another take of it. */
  readonly parentId?: string;
  /** What the user asked this take to do differently. */
  readonly instructions?: string;
  /** What drafting cost, once completed. */
  usage?: RunUsage;
}

/** What may change of a run once it is stored. */
export type RunChanges = Partial<
  Pick<
    RunRecord,
    | 'title'
    | 'state'
    | 'text'
    | 'draft'
    | 'lastEventId'
    | 'error'
    | 'finishedAt'
    | 'commentUrl'
    | 'postingAttemptedAt'
    | 'postingClaimedUntil'
    | 'postedText'
    | 'usage'
  >
>;

/** Which of an owner's runs to list, newest first. */
export interface RunQuery {
  owner: string;
  state?: RunState;
  /** `owner/name`: runs on issues of this repository, fetched or pasted. */
  repository?: string;
  /** Words in the title, ignoring case. */
  titleContains?: string;
  offset: number;
  limit: number;
}

export interface RunList {
  runs: RunRecord[];
  /** How many runs match the query, over all pages. */
  total: number;
  /** The tokens of the runs that match, over all pages. */
  promptTokens: number;
  completionTokens: number;
}

/** An event as the store keeps it: the JSON exactly as it was first sent, never re-encoded. */
export interface StoredEvent {
  readonly workflowId: string;
  readonly id: number;
  readonly type: WorkflowEventType;
  /** The serialized event, the very text of its SSE `data:` line. */
  readonly json: string;
  readonly timestamp: string;
}

/** The repository a run's issue is about, if it names one. */
export function repositoryOf(source: IssueSource): string | undefined {
  return source.kind === 'github' ? source.repository : source.issue.repository;
}

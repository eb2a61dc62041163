import { initialRunView, type RunView } from '@issuecast/workflow-events';
import type { IssueToDraft } from '../llm/llm-provider';

/** Where the issue of a run comes from. */
export type IssueSource =
  | {
      kind: 'github';
      repository: string;
      issueNumber: number;
      /** Post the comment on the issue as soon as it is drafted. */
      postToGitHub?: boolean;
    }
  | { kind: 'pasted'; issue: IssueToDraft };

/** A run of `commentOnIssue` while the server keeps it: its input, its control and its view. */
export class WorkflowRun {
  /** The run's state as its events describe it, kept up to date as they are emitted. */
  view: RunView = initialRunView;
  /** The issue's title, once pasted or fetched. */
  title?: string;
  /** The whole comment, once the model has finished writing it (before any posting). */
  draft?: string;
  /**
   * The posted comment's URL. Also set by a post after the run ended, which adds no event: the
   * run's log ends with its one terminal event, and the snapshot reads the URL from here.
   */
  commentUrl?: string;
  readonly createdAt = new Date().toISOString();
  readonly controller = new AbortController();

  constructor(
    readonly id: string,
    /** The user who started it; nobody else can see it. */
    readonly owner: string,
    readonly source: IssueSource,
  ) {
    if (source.kind === 'pasted') this.title = source.issue.title;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }
}

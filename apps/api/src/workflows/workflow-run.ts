import { initialRunView, type RunView } from '@issuecast/workflow-events';
import type { IssueToDraft } from '../llm/llm-provider';

/** Where the issue of a run comes from. */
export type IssueSource =
  { kind: 'github'; repository: string; issueNumber: number } | { kind: 'pasted'; issue: IssueToDraft };

/** A run of `commentOnIssue` while the server keeps it: its input, its control and its view. */
export class WorkflowRun {
  /** The run's state as its events describe it, kept up to date as they are emitted. */
  view: RunView = initialRunView;
  /** The issue's title, once pasted or fetched. */
  title?: string;
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

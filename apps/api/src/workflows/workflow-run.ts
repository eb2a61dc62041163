import { initialRunView, type RunView } from '@issuecast/workflow-events';
import type { IssueSource, RunRecord } from '../store/run-record';

/** A run of `commentOnIssue` while this process executes it: its input, its control and its view. */
export class WorkflowRun {
  /** The run's state as its stored events describe it, kept up to date as they are announced. */
  view: RunView = initialRunView;
  /** The issue's title, once pasted or fetched. */
  title?: string;
  /** The whole comment, once the model has finished writing it (before any posting). */
  draft?: string;
  /** The posted comment's URL, once the run has posted it. */
  commentUrl?: string;
  readonly controller = new AbortController();

  constructor(
    readonly id: string,
    /** The user who started it; nobody else can see it. */
    readonly owner: string,
    readonly source: IssueSource,
    /** For another take: the first run on the issue, and what the user asked of this one. */
    readonly take: { parentId?: string; instructions?: string } = {},
    readonly createdAt = new Date().toISOString(),
  ) {
    if (source.kind === 'pasted') this.title = source.issue.title;
  }

  /** The run as a worker executes it, from what the instance that started it stored. */
  static fromRecord({ id, owner, source, parentId, instructions, createdAt }: RunRecord): WorkflowRun {
    const take = { ...(parentId && { parentId }), ...(instructions && { instructions }) };
    return new WorkflowRun(id, owner, source, take, createdAt);
  }

  get instructions(): string | undefined {
    return this.take.instructions;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The run as the store first keeps it. */
  toRecord(): RunRecord {
    const { id, owner, source, createdAt, title, take } = this;
    return { id, owner, source, createdAt, title, ...take, state: 'queued', text: '', lastEventId: 0 };
  }
}

import type { RunState } from '@issuecast/workflow-events';
import { type IssueSource, repositoryOf, type RunChanges, type RunError, type RunRecord } from './run-record';

/** A run as a row of the `runs` table, the same columns in every store. */
export interface RunRow {
  id: string;
  owner: string;
  repository: string | null;
  source: string;
  title: string | null;
  state: string;
  text: string;
  draft: string | null;
  last_event_id: number | string;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  comment_url: string | null;
  posting_attempted_at: string | null;
}

/** The `runs` columns each changeable field is kept in. */
const CHANGE_COLUMNS = {
  title: 'title',
  state: 'state',
  text: 'text',
  draft: 'draft',
  lastEventId: 'last_event_id',
  error: 'error',
  finishedAt: 'finished_at',
  commentUrl: 'comment_url',
  postingAttemptedAt: 'posting_attempted_at',
} as const satisfies Record<keyof RunChanges, keyof RunRow>;

export function toRunRow(run: RunRecord): RunRow {
  return {
    id: run.id,
    owner: run.owner,
    // Repository names are case-insensitive on GitHub: the filter column is lower-case.
    repository: repositoryOf(run.source)?.toLowerCase() ?? null,
    source: JSON.stringify(run.source),
    title: run.title ?? null,
    state: run.state,
    text: run.text,
    draft: run.draft ?? null,
    last_event_id: run.lastEventId,
    error: run.error ? JSON.stringify(run.error) : null,
    created_at: run.createdAt,
    finished_at: run.finishedAt ?? null,
    comment_url: run.commentUrl ?? null,
    posting_attempted_at: run.postingAttemptedAt ?? null,
  };
}

export function fromRunRow(row: RunRow): RunRecord {
  const run: RunRecord = {
    id: row.id,
    owner: row.owner,
    source: JSON.parse(row.source) as IssueSource,
    createdAt: row.created_at,
    state: row.state as RunState,
    text: row.text,
    lastEventId: Number(row.last_event_id),
  };
  if (row.title !== null) run.title = row.title;
  if (row.draft !== null) run.draft = row.draft;
  if (row.error !== null) run.error = JSON.parse(row.error) as RunError;
  if (row.finished_at !== null) run.finishedAt = row.finished_at;
  if (row.comment_url !== null) run.commentUrl = row.comment_url;
  if (row.posting_attempted_at !== null) run.postingAttemptedAt = row.posting_attempted_at;
  return run;
}

/** The columns and values of the fields given in `changes`, in a fixed order. */
export function changedColumns(changes: RunChanges): Partial<RunRow> {
  const columns: Partial<Record<keyof RunRow, unknown>> = {};
  for (const [field, column] of Object.entries(CHANGE_COLUMNS) as [keyof RunChanges, keyof RunRow][]) {
    if (!(field in changes)) continue;
    const value = changes[field];
    columns[column] = value === undefined ? null : field === 'error' ? JSON.stringify(value) : value;
  }
  return columns as Partial<RunRow>;
}

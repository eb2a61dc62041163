import type { RunState, RunUsage } from '@issuecast/workflow-events';
import {
  type IssueSource,
  repositoryOf,
  type RunChanges,
  type RunError,
  type RunQuery,
  type RunRecord,
} from './run-record';

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
  posting_claimed_until: string | null;
  edited_draft: string | null;
  posted_text: string | null;
  parent_id: string | null;
  instructions: string | null;
  model: string | null;
  prompt_tokens: number | string | null;
  completion_tokens: number | string | null;
  first_token_ms: number | string | null;
  duration_ms: number | string | null;
}

/** The columns of a run's usage: `model` set means the others are too, but for a missing first token. */
type UsageColumns = Pick<
  RunRow,
  'model' | 'prompt_tokens' | 'completion_tokens' | 'first_token_ms' | 'duration_ms'
>;

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
  postingClaimedUntil: 'posting_claimed_until',
  postedText: 'posted_text',
} as const satisfies Record<Exclude<keyof RunChanges, 'usage'>, keyof RunRow>;

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
    posting_claimed_until: run.postingClaimedUntil ?? null,
    edited_draft: run.editedDraft ?? null,
    posted_text: run.postedText ?? null,
    parent_id: run.parentId ?? null,
    instructions: run.instructions ?? null,
    ...usageColumns(run.usage),
  };
}

function usageColumns(usage: RunUsage | undefined): UsageColumns {
  return {
    model: usage?.model ?? null,
    prompt_tokens: usage?.promptTokens ?? null,
    completion_tokens: usage?.completionTokens ?? null,
    first_token_ms: usage?.timeToFirstTokenMs ?? null,
    duration_ms: usage?.durationMs ?? null,
  };
}

function usageOf(row: UsageColumns): RunUsage | undefined {
  if (row.model === null) return undefined;
  return {
    model: row.model,
    promptTokens: Number(row.prompt_tokens),
    completionTokens: Number(row.completion_tokens),
    ...(row.first_token_ms !== null && { timeToFirstTokenMs: Number(row.first_token_ms) }),
    durationMs: Number(row.duration_ms),
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
  if (row.posting_claimed_until !== null) run.postingClaimedUntil = row.posting_claimed_until;
  if (row.edited_draft !== null) run.editedDraft = row.edited_draft;
  if (row.posted_text !== null) run.postedText = row.posted_text;
  const usage = usageOf(row);
  if (usage) run.usage = usage;
  return {
    ...run,
    ...(row.parent_id !== null && { parentId: row.parent_id }),
    ...(row.instructions !== null && { instructions: row.instructions }),
  };
}

/** The columns and values of the fields given in `changes`, in a fixed order. */
export function changedColumns(changes: RunChanges): Partial<RunRow> {
  const columns: Partial<Record<keyof RunRow, unknown>> = {};
  for (const [field, column] of Object.entries(CHANGE_COLUMNS) as [
    Exclude<keyof RunChanges, 'usage'>,
    keyof RunRow,
  ][]) {
    if (!(field in changes)) continue;
    const value = changes[field];
    columns[column] = value === undefined ? null : field === 'error' ? JSON.stringify(value) : value;
  }
  if ('usage' in changes) Object.assign(columns, usageColumns(changes.usage));
  return columns as Partial<RunRow>;
}

/** The `WHERE` of a run query, with `?` for each of its values, in order. */
export function runQueryFilter({ owner, state, repository, titleContains }: RunQuery): {
  where: string;
  values: (string | number)[];
} {
  const conditions: [string, string][] = [['owner = ?', owner]];
  if (state) conditions.push(['state = ?', state]);
  if (repository) conditions.push(['repository = ?', repository]);
  if (titleContains) {
    const pattern = titleContains.toLowerCase().replace(/[\\%_]/g, (special) => `\\${special}`);
    conditions.push([`lower(title) LIKE ? ESCAPE '\\'`, `%${pattern}%`]);
  }
  return {
    where: conditions.map(([condition]) => condition).join(' AND '),
    values: conditions.map(([, value]) => value),
  };
}

/** What a run query counts over all pages: the runs, and their tokens. */
export const RUN_TOTALS_COLUMNS =
  'count(*) AS total, coalesce(sum(prompt_tokens), 0) AS prompt_tokens, coalesce(sum(completion_tokens), 0) AS completion_tokens';

export interface RunTotalsRow {
  total: number | string;
  prompt_tokens: number | string;
  completion_tokens: number | string;
}

/**
 * A post of a run's comment may be claimed until it is posted, unless another claim holds (`?`: now).
 * The first attempt's time stays: the draft is never editable again.
 */
export const CLAIM_POSTING = `UPDATE runs
  SET posting_attempted_at = coalesce(posting_attempted_at, ?), posting_claimed_until = ?
  WHERE id = ? AND comment_url IS NULL AND (posting_claimed_until IS NULL OR posting_claimed_until <= ?)`;

/** A run's draft may be edited once it has one, until a post of it is attempted. */
export const EDITABLE_DRAFT =
  'draft IS NOT NULL AND finished_at IS NOT NULL AND posting_attempted_at IS NULL';

/** A take of an issue and the first run on it. */
export interface TakeRow {
  id: string;
  root: string;
}

/** Rows in take order, grouped by their first run; every root of `rootIds` gets its list. */
export function groupTakes(rootIds: readonly string[], rows: readonly TakeRow[]): Map<string, string[]> {
  const takes = new Map(rootIds.map((rootId) => [rootId, [] as string[]]));
  for (const { id, root } of rows) takes.get(root)?.push(id);
  return takes;
}

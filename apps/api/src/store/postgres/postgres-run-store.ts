import { Pool, type PoolClient } from 'pg';
import {
  changedColumns,
  EDITABLE_DRAFT,
  fromRunRow,
  groupTakes,
  RUN_TOTALS_COLUMNS,
  runQueryFilter,
  type RunRow,
  type RunTotalsRow,
  type TakeRow,
  toRunRow,
} from '../run-rows';
import type { RunChanges, RunList, RunQuery, RunRecord, StoredEvent } from '../run-record';
import { RunStore } from '../run-store';
import { waitForDatabase } from './postgres-connection';
import { applyPostgresMigrations } from './postgres-migrations';

export interface PostgresConnectOptions {
  /** How long to wait for an unreachable or starting server before giving up. */
  timeoutMs?: number;
}

/**
 * The store for deployments: PostgreSQL through a `pg` pool, with `DATABASE_URL`. Same tables and
 * columns as the embedded store; several instances may share one database.
 */
export class PostgresRunStore extends RunStore {
  constructor(private readonly pool: Pool) {
    super();
    // An idle connection the server dropped (a restart, a failover): the pool forgets it and the
    // next query opens a new one. Unhandled, the pool's `error` event would end the process.
    pool.on('error', () => undefined);
  }

  /**
   * A store on `databaseUrl` once its server accepts a connection: an unreachable one is tried
   * again until `timeoutMs`, then the error says why, naming `DATABASE_URL` but never its password.
   */
  static async connect(
    databaseUrl: string,
    { timeoutMs = 30_000 }: PostgresConnectOptions = {},
  ): Promise<PostgresRunStore> {
    await waitForDatabase(databaseUrl, timeoutMs);
    return new PostgresRunStore(
      new Pool({
        connectionString: databaseUrl,
        application_name: 'issuecast',
        connectionTimeoutMillis: timeoutMs,
        keepAlive: true,
      }),
    );
  }

  async migrate(): Promise<void> {
    await this.withClient(applyPostgresMigrations);
  }

  async insertRun(run: RunRecord): Promise<void> {
    const row = toRunRow(run);
    const columns = Object.keys(row);
    await this.pool.query(
      `INSERT INTO runs (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})`,
      Object.values(row),
    );
  }

  async updateRun(id: string, changes: RunChanges): Promise<void> {
    const columns = changedColumns(changes);
    const names = Object.keys(columns);
    if (names.length === 0) return;
    await this.pool.query(
      `UPDATE runs SET ${names.map((name, index) => `${name} = $${index + 1}`).join(', ')} WHERE id = $${names.length + 1}`,
      [...Object.values(columns), id],
    );
  }

  async findRun(id: string): Promise<RunRecord | undefined> {
    const { rows } = await this.pool.query<RunRow>('SELECT * FROM runs WHERE id = $1', [id]);
    return rows[0] && fromRunRow(rows[0]);
  }

  async listRuns(query: RunQuery): Promise<RunList> {
    const { where, values } = runQueryFilter(query);
    let position = 0;
    const matching = `FROM runs WHERE ${where.replace(/\?/g, () => `$${++position}`)}`;
    const totals = await this.pool.query<RunTotalsRow>(`SELECT ${RUN_TOTALS_COLUMNS} ${matching}`, values);
    const { rows } = await this.pool.query<RunRow>(
      `SELECT * ${matching} ORDER BY seq DESC LIMIT $${position + 1} OFFSET $${position + 2}`,
      [...values, query.limit, query.offset],
    );
    const [{ total, prompt_tokens, completion_tokens }] = totals.rows;
    return {
      runs: rows.map(fromRunRow),
      total: Number(total),
      promptTokens: Number(prompt_tokens),
      completionTokens: Number(completion_tokens),
    };
  }

  async takesOf(rootIds: readonly string[]): Promise<Map<string, string[]>> {
    const { rows } = await this.pool.query<TakeRow>(
      `SELECT id, COALESCE(parent_id, id) AS root FROM runs
       WHERE id = ANY($1::text[]) OR parent_id = ANY($1::text[])
       ORDER BY seq`,
      [rootIds],
    );
    return groupTakes(rootIds, rows);
  }

  async saveEditedDraft(id: string, draft: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE runs SET edited_draft = $1 WHERE id = $2 AND ${EDITABLE_DRAFT}`,
      [draft, id],
    );
    return rowCount === 1;
  }

  async unfinishedRuns(): Promise<RunRecord[]> {
    const { rows } = await this.pool.query<RunRow>(
      'SELECT * FROM runs WHERE finished_at IS NULL ORDER BY seq',
    );
    return rows.map(fromRunRow);
  }

  async claimPosting(id: string, at: string): Promise<boolean> {
    // Of two connections at once, the second waits for the first's row lock, then sees the column set.
    const { rowCount } = await this.pool.query(
      'UPDATE runs SET posting_attempted_at = $1 WHERE id = $2 AND posting_attempted_at IS NULL',
      [at, id],
    );
    return rowCount === 1;
  }

  async deleteEventsOfRunsFinishedBefore(cutoff: string, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM events WHERE (workflow_id, id) IN (
         SELECT events.workflow_id, events.id FROM runs JOIN events ON events.workflow_id = runs.id
         WHERE runs.finished_at < $1 LIMIT $2 FOR UPDATE OF events SKIP LOCKED
       )`,
      [cutoff, limit],
    );
    return rowCount ?? 0;
  }

  async deleteRunsFinishedBefore(cutoff: string, limit: number): Promise<number> {
    // Events go with their run (ON DELETE CASCADE). SKIP LOCKED: two instances expiring at once take
    // different runs instead of waiting for each other.
    const { rowCount } = await this.pool.query(
      `DELETE FROM runs WHERE seq IN (
         SELECT seq FROM runs WHERE finished_at < $1 ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED
       )`,
      [cutoff, limit],
    );
    return rowCount ?? 0;
  }

  async appendEvents(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One statement, so one transaction and one round trip whatever the batch's size; a duplicate
    // (workflow_id, id) fails the statement and so the whole batch.
    await this.pool.query(
      `INSERT INTO events (workflow_id, id, type, json, timestamp)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[])`,
      [
        events.map((event) => event.workflowId),
        events.map((event) => event.id),
        events.map((event) => event.type),
        events.map((event) => event.json),
        events.map((event) => event.timestamp),
      ],
    );
  }

  async readEvents(workflowId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      'SELECT workflow_id, id, type, json, timestamp FROM events WHERE workflow_id = $1 AND id > $2 ORDER BY id LIMIT $3',
      [workflowId, afterId, limit],
    );
    return rows.map(fromEventRow);
  }

  async lastEvent(workflowId: string): Promise<StoredEvent | undefined> {
    const { rows } = await this.pool.query<EventRow>(
      'SELECT workflow_id, id, type, json, timestamp FROM events WHERE workflow_id = $1 ORDER BY id DESC LIMIT 1',
      [workflowId],
    );
    return rows[0] && fromEventRow(rows[0]);
  }

  async revokeSession(sessionId: string, until: string): Promise<void> {
    await this.pool.query('DELETE FROM revoked_sessions WHERE until < $1', [new Date().toISOString()]);
    await this.pool.query(
      'INSERT INTO revoked_sessions (session_id, until) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [sessionId, until],
    );
  }

  async isSessionRevoked(sessionId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM revoked_sessions WHERE session_id = $1', [
      sessionId,
    ]);
    return rowCount === 1;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  private async withClient(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await work(client);
      client.release();
    } catch (error) {
      // A connection that failed mid-transaction is not handed to the next query.
      client.release(true);
      throw error;
    }
  }
}

interface EventRow {
  workflow_id: string;
  /** A `bigint`, which pg gives as text. */
  id: string;
  type: StoredEvent['type'];
  json: string;
  timestamp: string;
}

function fromEventRow({ workflow_id, id, type, json, timestamp }: EventRow): StoredEvent {
  return { workflowId: workflow_id, id: Number(id), type, json, timestamp };
}

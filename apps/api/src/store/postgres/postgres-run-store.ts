import { Pool, type PoolClient } from 'pg';
import {
  changedColumns,
  CLAIM_POSTING,
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
import { type LeaseClaim, LeaseLost } from '../run-lease';
import type { RunChanges, RunList, RunQuery, RunRecord, StoredEvent } from '../run-record';
import { RunStore } from '../run-store';
import { waitForDatabase } from './postgres-connection';
import { applyPostgresMigrations } from './postgres-migrations';

/** Now, in epoch milliseconds, by the database server's clock: the one clock every instance's leases share. */
const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

/** Whom a lease may be taken from; `$2` is the claiming owner. */
const CLAIMABLE: Record<LeaseClaim, string> = {
  nobody: 'lease_owner IS NULL',
  expired: `lease_owner IS NOT NULL AND lease_owner <> $2 AND lease_until < ${NOW_MS}`,
  anyone: 'TRUE',
};

/**
 * The key space of the advisory locks that serialize the starts of one owner's runs (its second
 * key is the owner's hash); the two-key space never meets the migrations' one-key lock.
 */
const RUN_START_LOCK = 1_769_235_301;

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

  async insertRun(
    run: RunRecord,
    { maxUnfinishedOfOwner }: { maxUnfinishedOfOwner?: number } = {},
  ): Promise<boolean> {
    const row = toRunRow(run);
    const columns = Object.keys(row);
    const insert = `INSERT INTO runs (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})`;
    if (maxUnfinishedOfOwner === undefined) {
      await this.pool.query(insert, Object.values(row));
      return true;
    }
    return this.inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [RUN_START_LOCK, run.owner]);
      const { rows } = await client.query<{ unfinished: string }>(
        'SELECT count(*) AS unfinished FROM runs WHERE owner = $1 AND finished_at IS NULL',
        [run.owner],
      );
      if (Number(rows[0].unfinished) >= maxUnfinishedOfOwner) return false;
      await client.query(insert, Object.values(row));
      return true;
    });
  }

  async updateRun(id: string, changes: RunChanges, writer?: string): Promise<void> {
    const columns = changedColumns(changes);
    const names = Object.keys(columns);
    if (names.length === 0) return;
    const id$ = names.length + 1;
    const fence = writer === undefined ? '' : ` AND (lease_owner IS NULL OR lease_owner = $${id$ + 1})`;
    await this.pool.query(
      `UPDATE runs SET ${names.map((name, index) => `${name} = $${index + 1}`).join(', ')} WHERE id = $${id$}${fence}`,
      [...Object.values(columns), id, ...(writer === undefined ? [] : [writer])],
    );
  }

  async deleteRun(id: string): Promise<void> {
    await this.pool.query('DELETE FROM runs WHERE id = $1', [id]);
  }

  async claimLease(id: string, owner: string, leaseMs: number, from: LeaseClaim): Promise<boolean> {
    // The row lock makes a second claimer wait for the first, then find the lease taken.
    const { rowCount } = await this.pool.query(
      `UPDATE runs SET lease_owner = $2, lease_until = ${NOW_MS} + $3
       WHERE id = $1 AND finished_at IS NULL AND ${CLAIMABLE[from]}`,
      [id, owner, leaseMs],
    );
    return rowCount === 1;
  }

  async renewLease(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE runs SET lease_until = ${NOW_MS} + $3 WHERE id = $1 AND lease_owner = $2 AND finished_at IS NULL`,
      [id, owner, leaseMs],
    );
    return rowCount === 1;
  }

  async expiredLeases(owner: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM runs WHERE finished_at IS NULL AND lease_owner <> $1 AND lease_until < ${NOW_MS} ORDER BY seq`,
      [owner],
    );
    return rows.map(({ id }) => id);
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

  async claimPosting(id: string, at: string, until: string): Promise<boolean> {
    // Of two connections at once, the second waits for the first's row lock, then sees its claim.
    const { rowCount } = await this.pool.query(withNumberedParameters(CLAIM_POSTING), [at, until, id, at]);
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

  async appendEvents(events: readonly StoredEvent[], writer?: string): Promise<void> {
    if (events.length === 0) return;
    const values = [
      events.map((event) => event.workflowId),
      events.map((event) => event.id),
      events.map((event) => event.type),
      events.map((event) => event.json),
      events.map((event) => event.timestamp),
    ];
    // One statement, so one transaction and one round trip whatever the batch's size; a duplicate
    // (workflow_id, id) fails the statement and so the whole batch.
    const rows = `SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[])`;
    if (writer === undefined) {
      await this.pool.query(`INSERT INTO events (workflow_id, id, type, json, timestamp) ${rows}`, values);
      return;
    }
    // The batch's runs are locked FOR SHARE, then their leases read as they are once locked: a
    // takeover of one waits until the batch is in, and a takeover before it fences the batch off.
    const { rows: fenced } = await this.pool.query<{ id: string }>(
      `WITH leases AS MATERIALIZED (
         SELECT id, lease_owner FROM runs WHERE id = ANY($6::text[]) ORDER BY id FOR SHARE
       ),
       fenced AS MATERIALIZED (SELECT id FROM leases WHERE lease_owner <> $7),
       inserted AS (
         INSERT INTO events (workflow_id, id, type, json, timestamp)
         ${rows} WHERE NOT EXISTS (SELECT 1 FROM fenced)
       )
       SELECT id FROM fenced ORDER BY id`,
      [...values, [...new Set(values[0] as string[])], writer],
    );
    if (fenced.length > 0) throw new LeaseLost(fenced.map(({ id }) => id));
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

  /** `work` in one transaction on a client of its own; a client whose rollback failed is not reused. */
  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
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

/** SQL written with `?` for each parameter, as PostgreSQL numbers them: `$1`, `$2`, … */
function withNumberedParameters(sql: string): string {
  let position = 0;
  return sql.replace(/\?/g, () => `$${++position}`);
}

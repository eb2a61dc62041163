// node:sqlite answers synchronously; the methods stay `async` so that what it throws becomes a rejection.
/* eslint-disable @typescript-eslint/require-await */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { IN_MEMORY_DATA_DIR } from '../../config/app-config';
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
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { applySqliteMigrations } from './sqlite-migrations';
import { inWriteTransaction } from './sqlite-transaction';

/** Whom a lease may be taken from; `?2` is the claiming owner, `?3` now. */
const CLAIMABLE: Record<LeaseClaim, string> = {
  nobody: 'lease_owner IS NULL',
  expired: 'lease_owner IS NOT NULL AND lease_owner <> ?2 AND lease_until < ?3',
  anyone: '1',
};

/** The embedded store's file in `DATA_DIR`. */
export const SQLITE_FILE = 'issuecast.sqlite';

/** How long a statement waits for another connection's write lock before it fails. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * The embedded store: Node's own SQLite (`node:sqlite`) in one file under `DATA_DIR`, nothing to
 * install. Write-ahead logging with `synchronous = NORMAL`: a commit survives the process being
 * killed; only a power cut may take the last few. Calls are synchronous and short; the async
 * interface is the one PostgreSQL needs.
 */
export class SqliteRunStore extends RunStore {
  private readonly statements = new Map<string, StatementSync>();

  private readonly checkpointer?: SqliteCheckpointer;

  /** `db` is on `file`, whose write-ahead log is then checkpointed off the event loop; else in memory. */
  constructor(
    private readonly db: DatabaseSync,
    file?: string,
  ) {
    super();
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    if (file !== undefined) this.checkpointer = SqliteCheckpointer.start(db, file);
  }

  /** Opens (creating it if need be) the store in `dataDir`; in memory for `IN_MEMORY_DATA_DIR`. */
  static open(dataDir: string): SqliteRunStore {
    if (dataDir === IN_MEMORY_DATA_DIR) return new SqliteRunStore(new DatabaseSync(IN_MEMORY_DATA_DIR));
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, SQLITE_FILE);
    return new SqliteRunStore(new DatabaseSync(file), file);
  }

  async migrate(): Promise<void> {
    applySqliteMigrations(this.db);
  }

  async insertRun(
    run: RunRecord,
    { maxUnfinishedOfOwner }: { maxUnfinishedOfOwner?: number } = {},
  ): Promise<boolean> {
    const row = toRunRow(run);
    const columns = Object.keys(row);
    const insert = this.statement(
      `INSERT INTO runs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    let inserted = false;
    inWriteTransaction(this.db, () => {
      if (maxUnfinishedOfOwner !== undefined) {
        const { unfinished } = this.statement(
          'SELECT count(*) AS unfinished FROM runs WHERE owner = ? AND finished_at IS NULL',
        ).get(run.owner) as { unfinished: number };
        if (unfinished >= maxUnfinishedOfOwner) return;
      }
      insert.run(...(Object.values(row) as SQLInputValue[]));
      inserted = true;
    });
    return inserted;
  }

  async updateRun(id: string, changes: RunChanges, writer?: string): Promise<void> {
    const columns = changedColumns(changes);
    const names = Object.keys(columns);
    if (names.length === 0) return;
    const fence = writer === undefined ? '' : ' AND (lease_owner IS NULL OR lease_owner = ?)';
    this.statement(
      `UPDATE runs SET ${names.map((name) => `${name} = ?`).join(', ')} WHERE id = ?${fence}`,
    ).run(...(Object.values(columns) as SQLInputValue[]), id, ...(writer === undefined ? [] : [writer]));
  }

  async deleteRun(id: string): Promise<void> {
    this.statement('DELETE FROM runs WHERE id = ?').run(id);
  }

  async claimLease(id: string, owner: string, leaseMs: number, from: LeaseClaim): Promise<boolean> {
    const now = Date.now();
    const { changes } = this.statement(
      `UPDATE runs SET lease_owner = ?2, lease_until = ?3 + ?4
       WHERE id = ?1 AND finished_at IS NULL AND ${CLAIMABLE[from]}`,
    ).run(id, owner, now, leaseMs);
    return changes === 1;
  }

  async renewLease(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const { changes } = this.statement(
      'UPDATE runs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND finished_at IS NULL',
    ).run(Date.now() + leaseMs, id, owner);
    return changes === 1;
  }

  async expiredLeases(owner: string): Promise<string[]> {
    const rows = this.statement(
      'SELECT id FROM runs WHERE finished_at IS NULL AND lease_owner <> ? AND lease_until < ? ORDER BY seq',
    ).all(owner, Date.now()) as unknown as { id: string }[];
    return rows.map(({ id }) => id);
  }

  async findRun(id: string): Promise<RunRecord | undefined> {
    const row = this.statement('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row && fromRunRow(row);
  }

  async listRuns(query: RunQuery): Promise<RunList> {
    const { where, values } = runQueryFilter(query);
    const matching = `FROM runs WHERE ${where}`;
    const totals = this.statement(`SELECT ${RUN_TOTALS_COLUMNS} ${matching}`).get(
      ...values,
    ) as unknown as RunTotalsRow;
    const rows = this.statement(`SELECT * ${matching} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(
      ...values,
      query.limit,
      query.offset,
    ) as unknown as RunRow[];
    return {
      runs: rows.map(fromRunRow),
      total: Number(totals.total),
      promptTokens: Number(totals.prompt_tokens),
      completionTokens: Number(totals.completion_tokens),
    };
  }

  async takesOf(rootIds: readonly string[]): Promise<Map<string, string[]>> {
    const roots = JSON.stringify(rootIds);
    const rows = this.statement(
      `SELECT id, COALESCE(parent_id, id) AS root FROM runs
       WHERE id IN (SELECT value FROM json_each(?)) OR parent_id IN (SELECT value FROM json_each(?))
       ORDER BY seq`,
    ).all(roots, roots) as unknown as TakeRow[];
    return groupTakes(rootIds, rows);
  }

  async saveEditedDraft(id: string, draft: string): Promise<boolean> {
    const { changes } = this.statement(
      `UPDATE runs SET edited_draft = ? WHERE id = ? AND ${EDITABLE_DRAFT}`,
    ).run(draft, id);
    return changes === 1;
  }

  async unfinishedRuns(): Promise<RunRecord[]> {
    const rows = this.statement('SELECT * FROM runs WHERE finished_at IS NULL ORDER BY seq').all();
    return (rows as unknown as RunRow[]).map(fromRunRow);
  }

  async claimPosting(id: string, at: string, until: string): Promise<boolean> {
    const { changes } = this.statement(CLAIM_POSTING).run(at, until, id, at);
    return changes === 1;
  }

  async deleteEventsOfRunsFinishedBefore(cutoff: string, limit: number): Promise<number> {
    const { changes } = this.statement(
      `DELETE FROM events WHERE (workflow_id, id) IN (
         SELECT events.workflow_id, events.id FROM runs JOIN events ON events.workflow_id = runs.id
         WHERE runs.finished_at < ? LIMIT ?
       )`,
    ).run(cutoff, limit);
    return Number(changes);
  }

  async deleteRunsFinishedBefore(cutoff: string, limit: number): Promise<number> {
    // Events go with their run (ON DELETE CASCADE).
    const { changes } = this.statement(
      'DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE finished_at < ? ORDER BY finished_at LIMIT ?)',
    ).run(cutoff, limit);
    return Number(changes);
  }

  async appendEvents(events: readonly StoredEvent[], writer?: string): Promise<void> {
    const insert = this.statement(
      'INSERT INTO events (workflow_id, id, type, json, timestamp) VALUES (?, ?, ?, ?, ?)',
    );
    inWriteTransaction(this.db, () => {
      if (writer !== undefined) {
        const runs = JSON.stringify([...new Set(events.map((event) => event.workflowId))]);
        const fenced = this.statement(
          'SELECT id FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND lease_owner <> ? ORDER BY id',
        ).all(runs, writer) as unknown as { id: string }[];
        if (fenced.length > 0) throw new LeaseLost(fenced.map(({ id }) => id));
      }
      for (const { workflowId, id, type, json, timestamp } of events)
        insert.run(workflowId, id, type, json, timestamp);
    });
  }

  async readEvents(workflowId: string, afterId: number, limit: number): Promise<StoredEvent[]> {
    const rows = this.statement(
      'SELECT workflow_id, id, type, json, timestamp FROM events WHERE workflow_id = ? AND id > ? ORDER BY id LIMIT ?',
    ).all(workflowId, afterId, limit);
    return (rows as unknown as EventRow[]).map(fromEventRow);
  }

  async lastEvent(workflowId: string): Promise<StoredEvent | undefined> {
    const row = this.statement(
      'SELECT workflow_id, id, type, json, timestamp FROM events WHERE workflow_id = ? ORDER BY id DESC LIMIT 1',
    ).get(workflowId) as EventRow | undefined;
    return row && fromEventRow(row);
  }

  async revokeSession(sessionId: string, until: string): Promise<void> {
    inWriteTransaction(this.db, () => {
      this.statement('DELETE FROM revoked_sessions WHERE until < ?').run(new Date().toISOString());
      this.statement('INSERT OR IGNORE INTO revoked_sessions (session_id, until) VALUES (?, ?)').run(
        sessionId,
        until,
      );
    });
  }

  async isSessionRevoked(sessionId: string): Promise<boolean> {
    return this.statement('SELECT 1 FROM revoked_sessions WHERE session_id = ?').get(sessionId) !== undefined;
  }

  async ping(): Promise<void> {
    this.statement('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.db.isOpen) this.db.close();
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

interface EventRow {
  workflow_id: string;
  id: number;
  type: StoredEvent['type'];
  json: string;
  timestamp: string;
}

function fromEventRow({ workflow_id, id, type, json, timestamp }: EventRow): StoredEvent {
  return { workflowId: workflow_id, id, type, json, timestamp };
}

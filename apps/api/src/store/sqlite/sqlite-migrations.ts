import type { DatabaseSync } from 'node:sqlite';
import { inWriteTransaction } from './sqlite-transaction';

/**
 * The embedded store's schema, one step per entry; `PRAGMA user_version` says how many are applied.
 * Append new steps, never edit one that has shipped.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     owner TEXT NOT NULL,
     repository TEXT,
     source TEXT NOT NULL,
     title TEXT,
     state TEXT NOT NULL,
     text TEXT NOT NULL,
     draft TEXT,
     last_event_id INTEGER NOT NULL,
     error TEXT,
     created_at TEXT NOT NULL,
     finished_at TEXT,
     comment_url TEXT,
     posting_attempted_at TEXT
   );
   CREATE INDEX runs_by_owner ON runs (owner, seq);
   CREATE INDEX runs_by_finish ON runs (finished_at);
   CREATE TABLE events (
     workflow_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     id INTEGER NOT NULL,
     type TEXT NOT NULL,
     json TEXT NOT NULL,
     timestamp TEXT NOT NULL,
     PRIMARY KEY (workflow_id, id)
   ) WITHOUT ROWID;`,
  // The review loop: the user's edit, what was posted, the takes of one issue, what a run cost.
  `ALTER TABLE runs ADD COLUMN edited_draft TEXT;
   ALTER TABLE runs ADD COLUMN posted_text TEXT;
   ALTER TABLE runs ADD COLUMN parent_id TEXT;
   ALTER TABLE runs ADD COLUMN instructions TEXT;
   ALTER TABLE runs ADD COLUMN model TEXT;
   ALTER TABLE runs ADD COLUMN prompt_tokens INTEGER;
   ALTER TABLE runs ADD COLUMN completion_tokens INTEGER;
   ALTER TABLE runs ADD COLUMN first_token_ms INTEGER;
   ALTER TABLE runs ADD COLUMN duration_ms INTEGER;
   CREATE INDEX runs_by_parent ON runs (parent_id);`,
  // Signing out revokes the session's token until it would have expired.
  `CREATE TABLE revoked_sessions (
     session_id TEXT PRIMARY KEY,
     until TEXT NOT NULL
   );
   CREATE INDEX revoked_sessions_by_until ON revoked_sessions (until);`,
  // The process executing a run holds its lease (epoch milliseconds).
  `ALTER TABLE runs ADD COLUMN lease_owner TEXT;
   ALTER TABLE runs ADD COLUMN lease_until INTEGER;
   CREATE INDEX runs_by_lease ON runs (lease_until) WHERE finished_at IS NULL;`,
  // Who is posting the comment now, and until when: a claim another instance may take once it ran out.
  `ALTER TABLE runs ADD COLUMN posting_claimed_until TEXT;`,
];

/** Applies the steps `db` lacks, in order, in one write transaction: a failing step leaves none of them applied. */
export function applySqliteMigrations(
  db: DatabaseSync,
  migrations: readonly string[] = SQLITE_MIGRATIONS,
): void {
  inWriteTransaction(db, () => {
    const { user_version: applied } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    for (const step of migrations.slice(applied)) db.exec(step);
    db.exec(`PRAGMA user_version = ${Math.max(applied, migrations.length)}`);
  });
}

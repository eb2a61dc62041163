import type { PoolClient } from 'pg';

/**
 * The PostgreSQL schema, one step per entry: step n is version n in `schema_migrations`. The same
 * tables and columns as the embedded store's. Append new steps, never edit one that has shipped.
 * Events are `text`, not `jsonb`, which would reorder keys: a replay must be the bytes first sent.
 * Times are ISO 8601 text as in the embedded store, compared byte by byte (`COLLATE "C"`).
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     id text NOT NULL UNIQUE,
     owner text NOT NULL,
     repository text,
     source text NOT NULL,
     title text,
     state text NOT NULL,
     text text NOT NULL,
     draft text,
     last_event_id bigint NOT NULL,
     error text,
     created_at text COLLATE "C" NOT NULL,
     finished_at text COLLATE "C",
     comment_url text,
     posting_attempted_at text COLLATE "C"
   );
   CREATE INDEX runs_by_owner ON runs (owner, seq);
   CREATE INDEX runs_by_finish ON runs (finished_at);
   CREATE TABLE events (
     workflow_id text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     id bigint NOT NULL,
     type text NOT NULL,
     json text NOT NULL,
     timestamp text COLLATE "C" NOT NULL,
     PRIMARY KEY (workflow_id, id)
   );`,
  // The review loop: the user's edit, what was posted, the takes of one issue, what a run cost.
  `ALTER TABLE runs ADD COLUMN edited_draft text;
   ALTER TABLE runs ADD COLUMN posted_text text;
   ALTER TABLE runs ADD COLUMN parent_id text;
   ALTER TABLE runs ADD COLUMN instructions text;
   ALTER TABLE runs ADD COLUMN model text;
   ALTER TABLE runs ADD COLUMN prompt_tokens bigint;
   ALTER TABLE runs ADD COLUMN completion_tokens bigint;
   ALTER TABLE runs ADD COLUMN first_token_ms bigint;
   ALTER TABLE runs ADD COLUMN duration_ms bigint;
   CREATE INDEX runs_by_parent ON runs (parent_id);`,
  // Signing out revokes the session's token until it would have expired.
  `CREATE TABLE revoked_sessions (
     session_id text PRIMARY KEY,
     until text COLLATE "C" NOT NULL
   );
   CREATE INDEX revoked_sessions_by_until ON revoked_sessions (until);`,
  // The shared mode: the process executing a run holds its lease (epoch milliseconds, the server's clock).
  `ALTER TABLE runs ADD COLUMN lease_owner text;
   ALTER TABLE runs ADD COLUMN lease_until bigint;
   CREATE INDEX runs_by_lease ON runs (lease_until) WHERE finished_at IS NULL;`,
  // Who is posting the comment now, and until when: a claim another instance may take once it ran out.
  `ALTER TABLE runs ADD COLUMN posting_claimed_until text COLLATE "C";`,
];

/**
 * The key of the advisory lock migrations hold: any constant, the same in every instance, so that
 * two instances starting at once apply the steps one after the other ("issuecas" in ASCII, as a bigint).
 */
const MIGRATION_LOCK = '7598543944353538419';

/** Applies the steps `client`'s database lacks, in order, in one transaction under the migration lock. */
export async function applyPostgresMigrations(
  client: PoolClient,
  migrations: readonly string[] = POSTGRES_MIGRATIONS,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ applied: number }>(
      'SELECT coalesce(max(version), 0) AS applied FROM schema_migrations',
    );
    const applied = rows[0].applied;
    for (const [index, step] of migrations.entries()) {
      if (index + 1 <= applied) continue;
      await client.query(step);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    // The step's error is the one to report, even when the connection it broke cannot roll back.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

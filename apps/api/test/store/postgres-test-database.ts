import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the tests may use, from `DATABASE_URL`; unset, the PostgreSQL suites are skipped. */
export const TEST_DATABASE_SERVER = process.env.DATABASE_URL?.trim() || undefined;

/** A database made for one suite on the server of `serverUrl`, and its removal. */
export interface TestDatabase {
  /** `serverUrl` with the new database's name as its path. */
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates `issuecast_test_<random>` on the server of `serverUrl` (a database on it the user may connect to). */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `issuecast_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a pool the suite left open must not keep the database alive.
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

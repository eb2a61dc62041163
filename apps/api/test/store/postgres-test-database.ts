import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the tests may use, from `DATABASE_URL`; unset, the PostgreSQL suites are skipped. */
export const TEST_DATABASE_SERVER = process.env.DATABASE_URL?.trim() || undefined;

const SKIPPED = ' (skipped: set DATABASE_URL to a PostgreSQL server to run)';

/** A suite that needs the PostgreSQL server: skipped, and saying so in its title, without one. */
export function describeWithServer(title: string, suite: () => void): void {
  if (TEST_DATABASE_SERVER) describe(title, suite);
  else describe.skip(`${title}${SKIPPED}`, suite);
}

/** A test that needs the PostgreSQL server: skipped, and saying so in its title, without one. */
export function itWithServer(title: string, test: () => Promise<void>): void {
  if (TEST_DATABASE_SERVER) it(title, test);
  else it.skip(`${title}${SKIPPED}`, test);
}

/** A database made for one suite on the server of `serverUrl`, and its removal. */
export interface TestDatabase {
  /** `serverUrl` with the new database's name as its path. */
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * Creates `issuecast_test_<random>` on the server of `serverUrl` (a URL of a database on it the user
 * may connect to and create databases from), by default the tests' `DATABASE_URL`.
 */
export async function createTestDatabase(serverUrl = TEST_DATABASE_SERVER): Promise<TestDatabase> {
  if (!serverUrl) throw new Error('createTestDatabase needs DATABASE_URL');
  const name = `issuecast_test_${randomBytes(6).toString('hex')}`;
  const server = serverUrl;
  await onServer(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a pool the suite left open must not keep the database alive.
    drop: () => onServer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
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

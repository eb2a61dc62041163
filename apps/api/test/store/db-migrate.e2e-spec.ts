import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgres-migrations';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SQLITE_FILE } from '../../src/store/sqlite/sqlite-run-store';
import { spawnTsEntry } from '../ts-entry-process';
import { startPasswordRefusingServer } from './fake-postgres-server';
import { createTestDatabase, itWithServer } from './postgres-test-database';

/** `npm run db:migrate`'s entry in its own process: its exit code and what it printed. */
async function runMigrate(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // No DATABASE_URL of the test run's own unless the case gives one.
  const child = spawnTsEntry('migrate', { DATABASE_URL: '', ...env }, ['ignore', 'pipe', 'pipe']);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('npm run db:migrate', () => {
  it('migrates the embedded store in DATA_DIR and exits 0, again on the second run', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'issuecast-migrate-'));
    try {
      const migrated = {
        code: 0,
        stdout: `Migrated the embedded store in DATA_DIR (${dataDir})\n`,
        stderr: '',
      };
      expect(await runMigrate({ DATA_DIR: dataDir })).toEqual(migrated);
      expect(await runMigrate({ DATA_DIR: dataDir })).toEqual(migrated);
      expect(existsSync(join(dataDir, SQLITE_FILE))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('exits non-zero with a message naming DATABASE_URL, without its password, when the server refuses', async () => {
    const server = await startPasswordRefusingServer();
    try {
      const { code, stderr } = await runMigrate({
        DATABASE_URL: server.url('alice', 'never-printed', 'issuecast'),
      });

      expect(code).toBe(1);
      expect(stderr).toContain(
        'Cannot connect to the PostgreSQL database of DATABASE_URL (postgres://alice@',
      );
      expect(stderr).toContain('password authentication failed');
      expect(stderr).not.toContain('never-printed');
    } finally {
      await server.close();
    }
  });

  itWithServer('migrates the PostgreSQL database of DATABASE_URL and exits 0', async () => {
    const database = await createTestDatabase();
    try {
      const { code, stdout } = await runMigrate({ DATABASE_URL: database.url });
      expect({ code, stdout }).toEqual({
        code: 0,
        stdout: `Migrated the PostgreSQL database of DATABASE_URL (${database.url})\n`,
      });
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query('SELECT version FROM schema_migrations');
      await client.end();
      expect(rows).toEqual(POSTGRES_MIGRATIONS.map((_, index) => ({ version: index + 1 })));
    } finally {
      await database.drop();
    }
  });
});

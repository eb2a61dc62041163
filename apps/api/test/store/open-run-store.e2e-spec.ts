import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { IN_MEMORY_DATA_DIR, type StoreConfig } from '../../src/config/app-config';
import { openRunStore } from '../../src/store/open-run-store';
import type { RunRecord } from '../../src/store/run-record';
import { createTestDatabase, describeWithServer, type TestDatabase } from './postgres-test-database';

const run: RunRecord = {
  id: '00000000-0000-4000-8000-0000000000aa',
  owner: 'alice',
  source: { kind: 'pasted', issue: { title: 'Kept', body: '' } },
  createdAt: '2026-01-01T00:00:00.000Z',
  state: 'completed',
  text: 'Done',
  lastEventId: 0,
  finishedAt: '2026-01-01T00:00:01.000Z',
};

/** Opens the store of `config` on an empty database, stores a run, then opens it again (migrating again). */
async function expectRunKeptAcrossOpens(config: StoreConfig): Promise<void> {
  const first = await openRunStore(config, { timeoutMs: 5_000 });
  await first.insertRun(run);
  await first.close();
  const second = await openRunStore(config, { timeoutMs: 5_000 });
  try {
    expect(await second.findRun(run.id)).toEqual(run);
  } finally {
    await second.close();
  }
}

describe(openRunStore.name, () => {
  it('opens the embedded store in DATA_DIR when DATABASE_URL is unset, migrated from empty and again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'issuecast-open-'));
    try {
      await expectRunKeptAcrossOpens({ dataDir: join(dataDir, 'new'), retentionMs: 1 });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('opens the embedded store on an in-memory database for DATA_DIR=:memory:, keeping nothing across opens', async () => {
    const config = { dataDir: IN_MEMORY_DATA_DIR, retentionMs: 1 };
    const first = await openRunStore(config);
    await first.insertRun(run);
    expect(await first.findRun(run.id)).toEqual(run);
    await first.close();

    const second = await openRunStore(config);
    try {
      expect(await second.findRun(run.id)).toBeUndefined();
      expect(existsSync(resolve(IN_MEMORY_DATA_DIR))).toBe(false);
    } finally {
      await second.close();
    }
  });

  describeWithServer('with DATABASE_URL', () => {
    let database: TestDatabase;

    beforeEach(async () => {
      database = await createTestDatabase();
    });

    afterEach(() => database.drop());

    it('opens PostgreSQL, migrated from empty and again', async () => {
      await expectRunKeptAcrossOpens({ dataDir: '/nonexistent', databaseUrl: database.url, retentionMs: 1 });
    });

    it('says which database it could not migrate, and why', async () => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      await client.query('CREATE TABLE runs (id text)');
      await client.end();

      await expect(
        openRunStore(
          { dataDir: '/nonexistent', databaseUrl: database.url, retentionMs: 1 },
          { timeoutMs: 5_000 },
        ),
      ).rejects.toThrow(
        `Cannot migrate the PostgreSQL database of DATABASE_URL (${database.url}): relation "runs" already exists`,
      );
    });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { applySqliteMigrations, SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations';
import { SQLITE_FILE, SqliteRunStore } from '../../src/store/sqlite/sqlite-run-store';

describe(applySqliteMigrations.name, () => {
  let dataDir: string;
  let db: DatabaseSync;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'issuecast-sqlite-migrations-'));
    db = new DatabaseSync(join(dataDir, SQLITE_FILE));
  });

  afterEach(() => {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const appliedVersion = () =>
    (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  const tables = () =>
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all()
      .map((row) => row.name);

  it('brings an empty file up to date from several processes starting at once, each step once', async () => {
    const stores = [1, 2, 3].map(() => SqliteRunStore.open(dataDir));
    try {
      await Promise.all(stores.map((store) => store.migrate()));
      await stores[0].migrate();
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }

    expect(appliedVersion()).toBe(SQLITE_MIGRATIONS.length);
    expect(tables()).toEqual(['events', 'revoked_sessions', 'runs']);
  });

  it('applies a failing step not at all, and none of the steps of its run', () => {
    const failing = [...SQLITE_MIGRATIONS, 'CREATE TABLE half_done (x integer); SELECT no_such_function()'];

    expect(() => applySqliteMigrations(db, failing)).toThrow('no such function');
    expect(appliedVersion()).toBe(0);
    expect(tables()).toEqual([]);
  });

  it('applies only the steps added since the last run', () => {
    applySqliteMigrations(db);
    applySqliteMigrations(db, [...SQLITE_MIGRATIONS, 'CREATE TABLE added_later (x integer)']);
    applySqliteMigrations(db, [...SQLITE_MIGRATIONS, 'CREATE TABLE added_later (x integer)']);

    expect(appliedVersion()).toBe(SQLITE_MIGRATIONS.length + 1);
    expect(tables()).toEqual(['added_later', 'events', 'revoked_sessions', 'runs']);
  });
});

import { Pool } from 'pg';
import { applyPostgresMigrations, POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgres-migrations';
import { PostgresRunStore } from '../../src/store/postgres/postgres-run-store';
import { createTestDatabase, describeWithServer, type TestDatabase } from './postgres-test-database';

describeWithServer(applyPostgresMigrations.name, () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeEach(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url });
  });

  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  const appliedVersions = async () =>
    (
      await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    ).rows.map((row) => row.version);

  it('brings an empty database up to date from several instances starting at once, each step once', async () => {
    const stores = await Promise.all(
      [1, 2, 3].map(() => PostgresRunStore.connect(database.url, { timeoutMs: 5_000 })),
    );
    try {
      await Promise.all(stores.map((store) => store.migrate()));
      await stores[0].migrate();
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }

    expect(await appliedVersions()).toEqual(POSTGRES_MIGRATIONS.map((_, index) => index + 1));
    const { rows } = await pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(rows.map((row) => row.table_name)).toEqual([
      'events',
      'revoked_sessions',
      'runs',
      'schema_migrations',
    ]);
  });

  it('applies a failing step not at all, and none of the steps of its run', async () => {
    const client = await pool.connect();
    try {
      const failing = [...POSTGRES_MIGRATIONS, 'CREATE TABLE half_done (x integer); SELECT 1 / 0'];
      await expect(applyPostgresMigrations(client, failing)).rejects.toThrow('division by zero');
    } finally {
      client.release();
    }

    const { rows } = await pool.query(
      "SELECT to_regclass('schema_migrations') AS migrations, to_regclass('runs') AS runs",
    );
    expect(rows).toEqual([{ migrations: null, runs: null }]);
  });

  it('applies only the steps added since the last run', async () => {
    const client = await pool.connect();
    try {
      await applyPostgresMigrations(client);
      await applyPostgresMigrations(client, [...POSTGRES_MIGRATIONS, 'CREATE TABLE added_later (x integer)']);
      await applyPostgresMigrations(client, [...POSTGRES_MIGRATIONS, 'CREATE TABLE added_later (x integer)']);
    } finally {
      client.release();
    }

    expect(await appliedVersions()).toEqual([...POSTGRES_MIGRATIONS, 'next'].map((_, index) => index + 1));
    expect((await pool.query("SELECT to_regclass('added_later') AS added")).rows).toEqual([
      { added: 'added_later' },
    ]);
  });
});

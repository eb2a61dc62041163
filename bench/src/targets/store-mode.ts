// The stores the API is measured on, side by side in one bench run: the in-memory reference, the
// embedded store's file, and PostgreSQL when DATABASE_URL names a server to make databases on.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export type StoreModeName = 'memory' | 'sqlite' | 'postgres';

/** A store one API server keeps its runs in, and how to clear it away once the server has stopped. */
interface OpenedStore {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export interface StoreMode {
  name: StoreModeName;
  /** A store of its own for one server: no run of an earlier case or bench is in it. `dir` takes its files. */
  open(dir: string): Promise<OpenedStore>;
}

const nothingToDrop = (): Promise<void> => Promise.resolve();

/** The product's `DATA_DIR=:memory:`: the embedded store on an in-memory database, nothing on disk. */
const memory: StoreMode = {
  name: 'memory',
  open: () => Promise.resolve({ env: { DATA_DIR: ':memory:' }, drop: nothingToDrop }),
};

/** The product's default: `issuecast.sqlite` in a `DATA_DIR` of the server's own. */
export const embeddedStore: StoreMode = {
  name: 'sqlite',
  open: (dir) => Promise.resolve({ env: { DATA_DIR: mkdtempSync(join(dir, 'data-')) }, drop: nothingToDrop }),
};

/** A database `issuecast_bench_<random>` made on the server of `serverUrl` for each API server, dropped after it. */
function postgres(serverUrl: string): StoreMode {
  return {
    name: 'postgres',
    async open(dir) {
      const name = `issuecast_bench_${randomBytes(6).toString('hex')}`;
      await onServer(serverUrl, `CREATE DATABASE ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return {
        env: { DATABASE_URL: url.toString(), DATA_DIR: mkdtempSync(join(dir, 'data-')) },
        // FORCE: a connection the server left open must not keep the database alive.
        drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      };
    },
  };
}

/** The modes of this run, the in-memory reference first. */
export function storeModes(databaseUrl = process.env['DATABASE_URL']?.trim()): StoreMode[] {
  return [memory, embeddedStore, ...(databaseUrl ? [postgres(databaseUrl)] : [])];
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

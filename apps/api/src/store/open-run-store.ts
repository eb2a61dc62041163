import type { StoreConfig } from '../config/app-config';
import { displayed } from './postgres/postgres-connection';
import { PostgresRunStore, type PostgresConnectOptions } from './postgres/postgres-run-store';
import type { RunStore } from './run-store';
import { SqliteRunStore } from './sqlite/sqlite-run-store';

/**
 * The configured store, its schema up to date: PostgreSQL when `DATABASE_URL` is set (waiting for
 * its server up to `timeoutMs`), else the embedded store in `DATA_DIR`.
 */
export async function openRunStore(
  store: StoreConfig,
  connectOptions: PostgresConnectOptions = {},
): Promise<RunStore> {
  const runStore = store.databaseUrl
    ? await PostgresRunStore.connect(store.databaseUrl, connectOptions)
    : SqliteRunStore.open(store.dataDir);
  try {
    await runStore.migrate();
  } catch (error) {
    await runStore.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot migrate ${storeName(store)}: ${reason}`, { cause: error });
  }
  return runStore;
}

/** Which store `store` configures, for a message: never with a password. */
export function storeName(store: StoreConfig): string {
  return store.databaseUrl
    ? `the PostgreSQL database of DATABASE_URL (${displayed(store.databaseUrl)})`
    : `the embedded store in DATA_DIR (${store.dataDir})`;
}

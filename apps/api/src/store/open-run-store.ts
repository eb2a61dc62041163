import type { StoreConfig } from '../config/app-config';
import type { RunStore } from './run-store';
import { SqliteRunStore } from './sqlite/sqlite-run-store';

/** Opens the configured store and brings its schema up to date. */
export async function openRunStore(config: StoreConfig): Promise<RunStore> {
  const store = SqliteRunStore.open(config.dataDir);
  await store.migrate();
  return store;
}

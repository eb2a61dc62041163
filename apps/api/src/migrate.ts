// `npm run db:migrate`: brings the configured store's schema up to date, then exits. The server
// does the same at start; this is for a deploy step that migrates before any instance starts.
// The environment's validation decorators need it, as in main.ts, where Nest loads it.
import 'reflect-metadata';
import { loadConfig } from './config/load-config';
import { openRunStore, storeName } from './store/open-run-store';

async function migrate(): Promise<void> {
  const { store } = loadConfig(process.env);
  const runStore = await openRunStore(store);
  await runStore.close();
  console.log(`Migrated ${storeName(store)}`);
}

migrate().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { PostgresRunStore } from '../../src/store/postgres/postgres-run-store';
import { createTestDatabase, describeWithServer } from './postgres-test-database';
import { describeRunStoreContract } from './run-store-contract';

describeWithServer('The PostgreSQL store, on a database of its own', () => {
  describeRunStoreContract('PostgresRunStore', async () => {
    const database = await createTestDatabase();
    return {
      open: () => PostgresRunStore.connect(database.url, { timeoutMs: 5_000 }),
      destroy: () => database.drop(),
    };
  });
});

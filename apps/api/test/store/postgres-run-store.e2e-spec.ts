import { PostgresRunStore } from '../../src/store/postgres/postgres-run-store';
import { createTestDatabase, TEST_DATABASE_SERVER } from './postgres-test-database';
import { describeRunStoreContract } from './run-store-contract';

if (TEST_DATABASE_SERVER) {
  const server = TEST_DATABASE_SERVER;
  describeRunStoreContract('The PostgreSQL store', async () => {
    const database = await createTestDatabase(server);
    return {
      open: () => PostgresRunStore.connect(database.url, { timeoutMs: 5_000 }),
      destroy: () => database.drop(),
    };
  });
} else {
  describe.skip('The PostgreSQL store (set DATABASE_URL to a PostgreSQL server to run)', () => {
    it('passes the RunStore contract', () => undefined);
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestKeyPrefix, TEST_REDIS_SERVER } from './test-redis';
import { createTestDatabase, describeWithServer } from './postgres-test-database';

/**
 * The two stores the app runs on: the embedded one in `DATA_DIR`, PostgreSQL with `DATABASE_URL`; and
 * `shared`, PostgreSQL with the tests' Redis (`REDIS_URL`, under a key prefix of its own): the shared mode.
 */
export type StoreKind = 'embedded' | 'postgres' | 'shared';

/** A store of its own for one app or server process, empty when made. */
export interface TestStore {
  readonly kind: StoreKind;
  /** The variables that point the app at it, as its environment would. */
  readonly env: Record<string, string>;
  remove(): Promise<void>;
}

/** A new embedded store in a fresh `DATA_DIR`, or a new database on the tests' PostgreSQL server (with a Redis key prefix, shared). */
export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  // A data directory either way: it also keeps what the server writes beside its store.
  const dataDir = mkdtempSync(join(tmpdir(), `issuecast-${kind}-`));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'embedded') {
    return { kind, env: { DATA_DIR: dataDir }, remove: () => Promise.resolve(removeDataDir()) };
  }
  const database = await createTestDatabase();
  const redis = kind === 'shared' ? createTestKeyPrefix() : undefined;
  return {
    kind,
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      ...(redis && { REDIS_URL: TEST_REDIS_SERVER as string, REDIS_KEY_PREFIX: redis.prefix }),
    },
    remove: async () => {
      removeDataDir();
      await database.drop();
      await redis?.remove();
    },
  };
}

/**
 * Runs `suite` on each store: on the embedded one always, on PostgreSQL when the tests have
 * `DATABASE_URL` (skipped visibly otherwise). The suite makes its stores with `createTestStore(kind)`.
 */
export function describeOnEachStore(title: string, suite: (kind: StoreKind) => void): void {
  describe(`${title}, on the embedded store`, () => suite('embedded'));
  describeWithServer(`${title}, on PostgreSQL`, () => suite('postgres'));
}

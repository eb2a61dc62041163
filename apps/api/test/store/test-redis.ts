import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { TEST_DATABASE_SERVER } from './postgres-test-database';

/** The Redis server the tests may use, from `REDIS_URL`; unset, the suites of the shared mode are skipped. */
export const TEST_REDIS_SERVER = process.env.REDIS_URL?.trim() || undefined;

const SKIPPED = ' (skipped: set REDIS_URL and DATABASE_URL to a Redis and a PostgreSQL server to run)';

/** A suite of the shared mode, which needs both servers: skipped, and saying so in its title, without them. */
export function describeWithSharedMode(title: string, suite: () => void): void {
  if (TEST_REDIS_SERVER && TEST_DATABASE_SERVER) describe(title, suite);
  else describe.skip(`${title}${SKIPPED}`, suite);
}

/** A key prefix of its own on the tests' Redis server, so that parallel runs never meet, and its removal. */
export interface TestKeyPrefix {
  readonly prefix: string;
  /** Deletes every key under the prefix. */
  remove(): Promise<void>;
}

export function createTestKeyPrefix(): TestKeyPrefix {
  if (!TEST_REDIS_SERVER) throw new Error('createTestKeyPrefix needs REDIS_URL');
  const server = TEST_REDIS_SERVER;
  const prefix = `issuecast-test-${randomBytes(6).toString('hex')}:`;
  return {
    prefix,
    remove: async () => {
      const redis = new Redis(server);
      try {
        for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1_000 }) as AsyncIterable<
          string[]
        >) {
          if (keys.length > 0) await redis.unlink(...keys);
        }
      } finally {
        await redis.quit();
      }
    },
  };
}

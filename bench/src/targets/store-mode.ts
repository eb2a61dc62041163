// The stores the API is measured on, side by side in one bench run: the in-memory reference, the
// embedded store's file, PostgreSQL when DATABASE_URL names a server to make databases on, and the
// shared mode (PostgreSQL and Redis) when REDIS_URL names a Redis server too.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

type StoreModeName = 'memory' | 'sqlite' | 'postgres' | 'shared' | 'shared-across' | 'shared-split';

/** The variables of one API process of a mode that runs several, beside the store's. */
type InstanceEnv = Record<string, string>;

/**
 * The API processes of a mode with several on one store: runs are started on `starter` and streamed
 * from `streamer`; `others` only share the work. Every figure of the mode sums them all.
 */
interface Topology {
  starter: InstanceEnv;
  streamer: InstanceEnv;
  others: readonly InstanceEnv[];
}

/** A store mode, or one of its variants (`--variant`): `sqlite+arenas2`. */
export type ModeName = StoreModeName | `${StoreModeName}+${string}`;

/** A store one API server keeps its runs in, and how to clear it away once the server has stopped. */
interface OpenedStore {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export interface StoreMode {
  name: ModeName;
  /** A store of its own for one server: no run of an earlier case or bench is in it. `dir` takes its files. */
  open(dir: string): Promise<OpenedStore>;
  /** Several API processes on that store instead of one. */
  topology?: Topology;
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

/**
 * The shared mode: a database as `postgres` makes one, and a Redis key prefix of its own,
 * `issuecast-bench-<random>:`, its keys deleted after.
 */
function shared(name: StoreModeName, databaseUrl: string, redisUrl: string, topology?: Topology): StoreMode {
  const database = postgres(databaseUrl);
  return {
    name,
    topology,
    async open(dir) {
      const store = await database.open(dir);
      const prefix = `issuecast-bench-${randomBytes(6).toString('hex')}:`;
      return {
        env: { ...store.env, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix },
        drop: async () => {
          await store.drop();
          await deleteKeys(redisUrl, prefix);
        },
      };
    },
  };
}

/**
 * Two `ROLE=all` instances: each executes the runs it starts, and the clients follow them from the
 * other, so that every event crosses Redis.
 */
const ACROSS_TWO_INSTANCES: Topology = { starter: { ROLE: 'all' }, streamer: { ROLE: 'all' }, others: [] };

/**
 * Two `ROLE=api` instances and one `ROLE=worker`: runs are started on one instance, executed by the
 * worker from the queue, and streamed from the other instance.
 */
const API_INSTANCES_AND_A_WORKER: Topology = {
  starter: { ROLE: 'api' },
  streamer: { ROLE: 'api' },
  others: [{ ROLE: 'worker' }],
};

/** The modes of this run, the in-memory reference first. */
export function storeModes(
  databaseUrl = process.env['DATABASE_URL']?.trim(),
  redisUrl = process.env['REDIS_URL']?.trim(),
): StoreMode[] {
  const sharedModes =
    databaseUrl && redisUrl
      ? [
          shared('shared', databaseUrl, redisUrl),
          shared('shared-across', databaseUrl, redisUrl, ACROSS_TWO_INSTANCES),
          shared('shared-split', databaseUrl, redisUrl, API_INSTANCES_AND_A_WORKER),
        ]
      : [];
  return [memory, embeddedStore, ...(databaseUrl ? [postgres(databaseUrl)] : []), ...sharedModes];
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/**
 * `mode` with more variables in the server's environment, named `<mode>+<label>`: `--variant
 * label:NAME=value,…` measures a setting (say `MALLOC_ARENA_MAX`) beside the mode without it, in the same run.
 */
export function variantOf(mode: StoreMode, label: string, env: Record<string, string>): StoreMode {
  return {
    ...mode,
    name: `${mode.name}+${label}`,
    async open(dir) {
      const store = await mode.open(dir);
      return { ...store, env: { ...store.env, ...env } };
    },
  };
}

/** `label:NAME=value,NAME=value` (a `--variant`) as its label and variables. */
export function parseVariant(spec: string): { label: string; env: Record<string, string> } {
  const match = /^([\w-]+):(.+)$/.exec(spec);
  const env: Record<string, string> = {};
  for (const pair of match?.[2].split(',') ?? []) {
    const variable = /^([A-Za-z_]\w*)=(.*)$/.exec(pair);
    if (!variable) break;
    env[variable[1]] = variable[2];
  }
  if (!match || Object.keys(env).length !== match[2].split(',').length)
    throw new Error(`--variant ${spec}: expected label:NAME=value[,NAME=value…]`);
  return { label: match[1], env };
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

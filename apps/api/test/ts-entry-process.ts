import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

const WORKSPACE = join(__dirname, '../../..');

/** An entry of the API (`apps/api/src/<entry>.ts`) in its own process, compiled on the fly with the API's own tsconfig. */
export function spawnTsEntry(entry: string, env: Record<string, string>, stdio: StdioOptions): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', `apps/api/src/${entry}.ts`],
    {
      cwd: WORKSPACE,
      env: {
        // The tests' own DATABASE_URL and REDIS_URL name the servers to make databases and key prefixes on, never a
        // store or a shared mode: an entry gets them only when told.
        ...withoutServers(process.env),
        // Nx sets ts-node compiler options for Jest's own config; the entry must not inherit them.
        TS_NODE_COMPILER_OPTIONS: '{}',
        TS_NODE_PROJECT: 'apps/api/tsconfig.app.json',
        TS_NODE_TRANSPILE_ONLY: 'true',
        TS_NODE_BASEURL: WORKSPACE,
        ...env,
      },
      stdio,
    },
  );
}

/** A loopback port nothing listens on (as of now). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

function withoutServers(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  delete rest.DATABASE_URL;
  delete rest.REDIS_URL;
  return rest;
}

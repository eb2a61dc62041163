import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

const WORKSPACE = join(__dirname, '../../..');

/** `main.ts` in its own process, compiled on the fly with the API's own tsconfig. */
export function spawnMain(env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
    {
      cwd: WORKSPACE,
      env: {
        ...process.env,
        // Nx sets ts-node compiler options for Jest's own config; the server must not inherit them.
        TS_NODE_COMPILER_OPTIONS: '{}',
        TS_NODE_PROJECT: 'apps/api/tsconfig.app.json',
        TS_NODE_TRANSPILE_ONLY: 'true',
        TS_NODE_BASEURL: WORKSPACE,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}

/** The server as `npm start` runs it, answering on a free port. */
export async function startServerProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawnMain({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    AUTH_USERS: 'alice:alice-password',
    AUTH_JWT_SECRET: 'a-secret-long-enough-to-sign-the-test-tokens',
    ...env,
  });
  child.stderr?.pipe(process.stderr);
  const baseUrl = `http://127.0.0.1:${port}`;
  while (
    !(await fetch(`${baseUrl}/api/health`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null) throw new Error(`The server exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, baseUrl };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A bearer token of `alice`, the user every server process of the tests has. */
export async function signInAlice(baseUrl: string): Promise<string> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'alice-password' }),
  });
  return `Bearer ${((await login.json()) as { token: string }).token}`;
}

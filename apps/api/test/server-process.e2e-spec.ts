import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { openSse } from './sse-client';

const WORKSPACE = join(__dirname, '../../..');

/** `main.ts` in its own process, compiled on the fly with the API's own tsconfig. */
function spawnMain(env: Record<string, string>): ChildProcess {
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
async function startServerProcess(
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

describe('the server process', () => {
  it('ends open streams with an interrupted error and exits on SIGTERM', async () => {
    const { child, baseUrl } = await startServerProcess({ OFFLINE_LLM_DELAY_MS: '200' });
    const login = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'alice-password' }),
    });
    const authorization = `Bearer ${((await login.json()) as { token: string }).token}`;
    const started = await fetch(`${baseUrl}/api/workflows/comment-on-issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ issue: { title: 'A long one', body: 'Steps to reproduce: open it, wait.' } }),
    });
    const { eventsUrl } = (await started.json()) as { eventsUrl: string };
    const sessions = await Promise.all(
      [1, 2, 3].map(() => openSse(`${baseUrl}${eventsUrl}`, { authorization })),
    );
    await Promise.all(sessions.map((session) => session.waitFor((event) => event.type === 'llm_response')));

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];

    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    for (const session of sessions) {
      await expect(session.finished).resolves.toBe('ended');
      expect(session.events.at(-1)).toMatchObject({
        type: 'error',
        data: { code: 'interrupted', retryable: true },
      });
    }
  }, 30_000);

  it('refuses to start on a wrong configuration, naming the variable', async () => {
    const child = spawnMain({ SSE_HEARTBEAT_MS: 'often' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(1);
    expect(stderr).toContain('SSE_HEARTBEAT_MS');
  }, 30_000);
});

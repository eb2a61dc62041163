import type { ChildProcess } from 'node:child_process';
import { freePort, spawnTsEntry } from './ts-entry-process';

/** `main.ts` in its own process. */
export function spawnMain(env: Record<string, string>): ChildProcess {
  return spawnTsEntry('main', env, ['ignore', 'ignore', 'pipe']);
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

/** A bearer token of `alice`, the user every server process of the tests has. */
export async function signInAlice(baseUrl: string): Promise<string> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'alice-password' }),
  });
  return `Bearer ${((await login.json()) as { token: string }).token}`;
}

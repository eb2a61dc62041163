import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const FIXTURE = join(__dirname, '../../../../tools/test-oidc-provider.mjs');

export const TEST_CLIENT = { id: 'issuecast', secret: 'issuecast-test-client-secret' };

/** The real OpenID Provider of `tools/test-oidc-provider.mjs`, in a child process of the test. */
export interface TestProvider {
  issuer: string;
  /** The next ID token the provider issues carries these claims instead of its own. */
  changeNextIdToken(claims: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the provider for an app whose `PUBLIC_URL` is `publicUrl`, on `port` (a free one by default). */
export async function startTestProvider(publicUrl: string, port = 0): Promise<TestProvider> {
  // Only what it needs: never the tests' DATABASE_URL or other secrets.
  const child = spawn(process.execPath, [FIXTURE], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      OIDC_TEST_CLIENT_ID: TEST_CLIENT.id,
      OIDC_TEST_CLIENT_SECRET: TEST_CLIENT.secret,
      OIDC_TEST_REDIRECT_URIS: `${publicUrl}/api/auth/oidc/callback`,
      OIDC_TEST_POST_LOGOUT_REDIRECT_URIS: `${publicUrl}/sign-in`,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const issuer = await issuerOf(child);
  return {
    issuer,
    changeNextIdToken: async (claims) => {
      const response = await fetch(`${issuer}/__test/id-token`, {
        method: 'POST',
        body: JSON.stringify(claims),
      });
      if (response.status !== 204) throw new Error(`The test provider answered ${response.status}`);
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function issuerOf(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`The test OpenID Provider exited with ${String(code)}`);
  });
  const first = (async () => {
    for await (const line of lines) return (JSON.parse(line) as { issuer: string }).issuer;
    throw new Error('The test OpenID Provider said nothing');
  })();
  return Promise.race([first, exited]);
}

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { PostgresRunStore } from '../../src/store/postgres/postgres-run-store';
import { freePort } from '../ts-entry-process';
import { startPasswordRefusingServer } from './fake-postgres-server';
import { itWithServer, TEST_DATABASE_SERVER } from './postgres-test-database';

const PASSWORD = 'hunter2-never-shown';

async function connectError(databaseUrl: string, timeoutMs: number): Promise<Error> {
  const store = await PostgresRunStore.connect(databaseUrl, { timeoutMs }).then(
    (connected) => connected,
    (error: unknown) => error,
  );
  if (!(store instanceof Error)) {
    await (store as PostgresRunStore).close();
    throw new Error('expected the connection to fail');
  }
  return store;
}

describe(`${PostgresRunStore.name}.connect`, () => {
  it('gives up on a port nobody listens on, naming DATABASE_URL, the server and the reason, not the password', async () => {
    const port = await freePort();
    const { message } = await connectError(`postgres://alice:${PASSWORD}@127.0.0.1:${port}/issuecast`, 1_000);

    expect(message).toContain(`DATABASE_URL (postgres://alice@127.0.0.1:${port}/issuecast)`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('still failing after 1 s');
    expect(message).not.toContain(PASSWORD);
  });

  it('gives up on a server that accepts the connection and never answers, rather than hang', async () => {
    const silent = createServer(() => undefined).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    try {
      const { message } = await connectError(`postgres://alice@127.0.0.1:${port}/issuecast`, 1_000);

      expect(message).toContain('timeout expired, still failing after 1 s');
    } finally {
      silent.close();
    }
  });

  it('stops at the first refusal of the password, without showing it', async () => {
    const server = await startPasswordRefusingServer();
    try {
      const { message } = await connectError(server.url('alice', PASSWORD, 'issuecast'), 20_000);

      expect(server.passwordsReceived).toEqual([PASSWORD]);
      expect(server.attempts()).toBe(1);
      expect(message).toContain('DATABASE_URL (postgres://alice@127.0.0.1:');
      expect(message).toContain('password authentication failed for user "alice" (28P01)');
      expect(message).not.toContain(PASSWORD);
    } finally {
      await server.close();
    }
  });

  it('tries again while the server is not listening yet, until it answers', async () => {
    const port = await freePort();
    const connecting = connectError(`postgres://alice:${PASSWORD}@127.0.0.1:${port}/issuecast`, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const server = await startPasswordRefusingServer(port);
    try {
      // It got as far as the password: it had gone on trying after the refused connections.
      expect((await connecting).message).toContain('(28P01)');
      expect(server.attempts()).toBe(1);
    } finally {
      await server.close();
    }
  });

  itWithServer('says that the database does not exist, at once', async () => {
    const url = new URL(TEST_DATABASE_SERVER ?? '');
    url.pathname = `/issuecast_missing_${randomBytes(4).toString('hex')}`;
    const { message } = await connectError(url.toString(), 20_000);

    expect(message).toContain(`DATABASE_URL (postgres://${url.username}@${url.host}${url.pathname})`);
    expect(message).toContain(`database "${url.pathname.slice(1)}" does not exist (3D000)`);
  });
});

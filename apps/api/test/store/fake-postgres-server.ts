import { once } from 'node:events';
import { createServer, type Server } from 'node:net';

/**
 * A server that speaks just enough of PostgreSQL's wire protocol to refuse every password: it asks
 * for one in clear text, then answers `28P01` as PostgreSQL does.
 */
export interface PasswordRefusingServer {
  readonly url: (user: string, password: string, database: string) => string;
  /** How many connections asked to start a session. */
  readonly attempts: () => number;
  /** The passwords the clients sent. */
  readonly passwordsReceived: string[];
  close(): Promise<void>;
}

/** Listens on `port` (any free one by default) of loopback. */
export async function startPasswordRefusingServer(port = 0): Promise<PasswordRefusingServer> {
  let attempts = 0;
  const passwordsReceived: string[] = [];
  const server: Server = createServer((socket) => {
    let startedUp = false;
    socket.on('data', (chunk) => {
      if (!startedUp) {
        startedUp = true;
        attempts += 1;
        socket.write(message('R', int32(3))); // AuthenticationCleartextPassword
        return;
      }
      // PasswordMessage: 'p', its length, the password ending in a zero byte. (Then comes Terminate, 'X'.)
      if (chunk[0] !== 'p'.charCodeAt(0)) return;
      passwordsReceived.push(chunk.subarray(5, chunk.length - 1).toString('utf8'));
      const fields = [
        ['S', 'FATAL'],
        ['V', 'FATAL'],
        ['C', '28P01'],
        ['M', 'password authentication failed for user "alice"'],
      ].map(([type, text]) => Buffer.concat([Buffer.from(type), Buffer.from(`${text}\0`)]));
      socket.end(message('E', Buffer.concat([...fields, Buffer.from([0])])));
    });
    socket.on('error', () => undefined);
  }).listen(port, '127.0.0.1');
  await once(server, 'listening');
  const { port: listening } = server.address() as { port: number };
  return {
    url: (user, password, database) =>
      `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${listening}/${database}`,
    attempts: () => attempts,
    passwordsReceived,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function message(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

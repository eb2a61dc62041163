import { Client, DatabaseError } from 'pg';

/** The pause between two attempts to reach a server that is not answering yet. */
const RETRY_DELAY_MS = 500;

/** The least time one attempt is given, even the last one: a refusal comes back in far less. */
const MIN_ATTEMPT_MS = 250;

/**
 * SQLSTATE classes that another attempt cannot change: invalid authorization (a refused password,
 * an unknown role), an unknown database, a missing privilege.
 */
const LASTING_FAILURES = ['28', '3D', '42'];

/**
 * Waits until the server of `databaseUrl` accepts a connection, trying again while it is unreachable
 * or starting, until `timeoutMs` have passed; a refusal that will not change (password, database)
 * fails at once. The error names `DATABASE_URL`, the server and database, and the reason, never the password.
 */
export async function waitForDatabase(databaseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connectionTimeoutMillis = Math.max(deadline - Date.now(), MIN_ATTEMPT_MS);
    let client: Client;
    try {
      client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis });
    } catch (error) {
      throw connectionError(databaseUrl, error, 'it is not a connection URL pg can read');
    }
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (isLasting(error)) throw connectionError(databaseUrl, error);
      const left = deadline - Date.now();
      if (left <= 0) throw connectionError(databaseUrl, error, `still failing after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_DELAY_MS, left)));
    }
  }
}

function isLasting(error: unknown): boolean {
  if (error instanceof DatabaseError)
    return LASTING_FAILURES.some((sqlClass) => error.code?.startsWith(sqlClass));
  // The server asked for a password and the URL has none, or SCRAM refused it.
  return error instanceof Error && error.message.startsWith('SASL:');
}

function connectionError(databaseUrl: string, error: unknown, note?: string): Error {
  const reason = [reasonOf(error), note].filter(Boolean).join(', ');
  return new Error(
    `Cannot connect to the PostgreSQL database of DATABASE_URL (${displayed(databaseUrl)}): ${hidePassword(reason, databaseUrl)}`,
  );
}

function reasonOf(error: unknown): string {
  if (error instanceof DatabaseError) return `${error.message} (${error.code})`;
  // Node answers a refused connection to a name with several addresses with an AggregateError without a message.
  const first = error instanceof AggregateError ? (error.errors[0] as unknown) : error;
  if (!(first instanceof Error)) return String(first);
  const code = (first as NodeJS.ErrnoException).code;
  return first.message || code || first.name;
}

/** The URL without its password and query (which may carry one): `postgres://user@host:port/database`. */
export function displayed(databaseUrl: string): string {
  if (!URL.canParse(databaseUrl)) return '(not a URL)';
  const { protocol, username, host, pathname } = new URL(databaseUrl);
  return `${protocol}//${username ? `${username}@` : ''}${host}${pathname}`;
}

function hidePassword(text: string, databaseUrl: string): string {
  const password = URL.canParse(databaseUrl) ? new URL(databaseUrl).password : '';
  if (!password) return text;
  return text.replaceAll(password, '(hidden)').replaceAll(decodeURIComponent(password), '(hidden)');
}

import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app/create-app';
import { loadConfig } from '../src/config/load-config';
import { DocumentConformance } from './openapi/document-conformance';
import { openSse, readSse, type SseSession } from './sse-client';
import { createTestStore, type StoreKind } from './store/test-store';

/** The users of every test app; `alice` is the one requests are made as unless said otherwise. */
const TEST_USERS = { alice: 'alice-password', bob: 'bob-password' } as const;
export type TestUser = keyof typeof TEST_USERS;

/** Who a request is made as: a test user (by bearer token), or nobody. */
export type Caller = TestUser | 'anonymous';

interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  as?: Caller;
}

/** The real app listening on a free loopback port, configured by `env` as the process would be. */
export interface TestApp {
  app: NestExpressApplication;
  baseUrl: string;
  /** A bearer token of a test user, signed in when the app started. */
  tokens: Record<TestUser, string>;
  /**
   * Every log line the app wrote (JSON), at `LOG_LEVEL` (silent unless the test sets it). Only the
   * first app a spec file starts has them: nestjs-pino builds one pino-http per module registry.
   */
  logLines: string[];
  /** A bearer token of a new sign-in of `user`: one a test may sign out of without harm to the others. */
  signIn(user: TestUser): Promise<string>;
  /** `fetch` against the app as `alice` (or `as`), with a JSON body when given. */
  request(path: string, options?: RequestOptions): Promise<Response>;
  openSse(path: string, headers?: Record<string, string>, as?: Caller): Promise<SseSession>;
  readSse(path: string, headers?: Record<string, string>, as?: Caller): Promise<SseSession>;
  close(): Promise<void>;
}

/** Limits high enough that only the tests about limits meet them. */
const GENEROUS_LIMITS = {
  RATE_LIMIT_LOGINS: '10000',
  RATE_LIMIT_RUN_STARTS: '10000',
  RATE_LIMIT_STREAM_CONNECTS: '10000',
  MAX_OPEN_STREAMS_PER_USER: '1000',
  MAX_RUNNING_RUNS_PER_USER: '1000',
};

/**
 * Starts the app on a store of its own, removed on close: the embedded one in a fresh data
 * directory unless `store` says PostgreSQL (a database made on the tests' `DATABASE_URL` server),
 * or the one `env` names (a test of restarts opens the same one twice). It listens on `port`, a free
 * one by default (a test that must name its address to another server beforehand picks one).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  { store: kind = 'embedded', port = 0 }: { store?: StoreKind; port?: number } = {},
): Promise<TestApp> {
  const store = env.DATA_DIR || env.DATABASE_URL ? undefined : await createTestStore(kind);
  const config = loadConfig({
    ...store?.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    OFFLINE_LLM_DELAY_MS: '0',
    AUTH_USERS: Object.entries(TEST_USERS)
      .map(([user, password]) => `${user}:${password}`)
      .join(','),
    ...GENEROUS_LIMITS,
    ...env,
  });
  const logLines: string[] = [];
  const app = await createApp(config, {
    logDestination: { write: (line: string) => void logLines.push(line) },
  });
  await app.listen(port, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tokens = { alice: await signIn(baseUrl, 'alice'), bob: await signIn(baseUrl, 'bob') };
  const authorization = (as: Caller): Record<string, string> =>
    as === 'anonymous' ? {} : { authorization: `Bearer ${tokens[as]}` };
  // Every JSON answer and every event a test receives is also checked against the document the app serves.
  const conformance = new DocumentConformance(await (await fetch(`${baseUrl}/api/docs-json`)).json());

  async function request(
    path: string,
    { method = 'GET', body, headers = {}, as = 'alice' }: RequestOptions = {},
  ) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...authorization(as),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (/json/.test(contentType)) {
      const answer: unknown = await response.clone().json();
      conformance.check(method, new URL(response.url), response.status, contentType, answer);
    }
    return response;
  }

  return {
    app,
    baseUrl,
    tokens,
    logLines,
    signIn: (user) => signIn(baseUrl, user),
    request,
    openSse: (path, headers = {}, as = 'alice') =>
      openSse(`${baseUrl}${path}`, { ...authorization(as), ...headers }, conformance),
    readSse: (path, headers = {}, as = 'alice') =>
      readSse(`${baseUrl}${path}`, { ...authorization(as), ...headers }, conformance),
    close: async () => {
      await app.close();
      await store?.remove();
    },
  };
}

async function signIn(baseUrl: string, username: TestUser): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_USERS[username] }),
  });
  if (!response.ok) throw new Error(`Signing in ${username} failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

// The API under test: its production build, every limit raised, the model pointed at the fake one.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sleep } from '../clock.ts';
import { spawnProcess } from '../processes/bench-process.ts';
import { LOG_DIR } from '../processes/log-dir.ts';
import type { LaunchSettings } from './launch-settings.ts';
import type { StoreMode } from './store-mode.ts';
import { nodeFlags, sharedEnv, Target } from './target.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const EXIT_ON_SIGUSR2 = new URL('../preload/exit-on-sigusr2.ts', import.meta.url).pathname;
const USER = { username: 'bench', password: 'bench-password-not-secret' };
/** Above every count the bench reaches: the bench measures the streaming path, not the limits. */
const UNLIMITED = '1000000000';

export const API_BUILD = join(ROOT, 'dist/apps/api/main.js');

/**
 * Copies the production build of the API out of dist/, so that a rebuild by someone else during the
 * run changes nothing; its packages still come from the repository's node_modules (NODE_PATH), and
 * without a web app beside it the server is the API alone.
 */
export function snapshotApiBuild(): string {
  const dir = join(LOG_DIR, 'api-build');
  mkdirSync(dir, { recursive: true });
  copyFileSync(API_BUILD, join(dir, 'main.js'));
  return join(dir, 'main.js');
}

/**
 * The API from `snapshotApiBuild()` on `port`, signed in with a bearer token, keeping its runs in a
 * store of `mode` of its own (no run of an earlier bench is in it), dropped when it stops.
 */
export async function startApi(
  main: string,
  port: number,
  settings: LaunchSettings,
  mode: StoreMode,
): Promise<Target> {
  const { modelUrl, profileDir, exposeGc, cpuList, env: overrides } = settings;
  const store = await mode.open(dirname(main));
  const env = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NODE_PATH: join(ROOT, 'node_modules'),
    ...sharedEnv(settings),
    PORT: String(port),
    // Only the mode's store: not a DATABASE_URL the bench itself was given.
    DATABASE_URL: undefined,
    ...store.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    AUTH_USERS: `${USER.username}:${USER.password}`,
    AUTH_JWT_SECRET: 'bench-only-secret-bench-only-secret-bench-only',
    LLM_PROVIDER: 'openai',
    OPENAI_BASE_URL: modelUrl,
    OPENAI_TOOLS: 'false',
    OPENAI_MAX_RETRIES: '0',
    OPENAI_TIMEOUT_MS: '600000',
    RATE_LIMIT_LOGINS: UNLIMITED,
    RATE_LIMIT_STREAM_CONNECTS: UNLIMITED,
    RATE_LIMIT_RUN_STARTS: UNLIMITED,
    MAX_OPEN_STREAMS_PER_USER: UNLIMITED,
    MAX_RUNNING_RUNS_PER_USER: UNLIMITED,
    WORKFLOW_MAX_EVENTS: UNLIMITED,
    ...overrides,
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  // With --cpu-prof the profile is written when the process exits normally; Nest re-raises SIGTERM
  // after its shutdown hooks, so the bench ends a profiled server with SIGUSR2 instead.
  const flags = nodeFlags({ profileDir, exposeGc }, '--import', EXIT_ON_SIGUSR2);
  const child = await spawnProcess(process.execPath, [...flags, main], {
    env,
    name: `api-${mode.name}`,
    cpuList,
    ready: () => waitForHealth(`${baseUrl}/api/health`),
    stopSignal: profileDir ? 'SIGUSR2' : 'SIGTERM',
  }).catch(async (error: unknown) => {
    await store.drop();
    throw error;
  });
  const api = new Target(
    mode.name,
    child,
    baseUrl,
    {
      start: '/api/workflows/comment-on-issue',
      events: (id) => `/api/workflows/${id}/events`,
      run: (id) => `/api/workflows/${id}`,
    },
    () => store.drop(),
  );
  const { token } = await api.request<{ token: string }>('POST', '/api/auth/login', USER, 200);
  api.authHeaders = { authorization: `Bearer ${token}` };
  return api;
}

async function waitForHealth(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within 60 s`);
}

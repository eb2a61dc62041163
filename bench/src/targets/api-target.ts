// The API under test: its production build, every limit raised, the model pointed at the fake one.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sleep } from '../clock.ts';
import { type BenchProcess, spawnProcess } from '../processes/bench-process.ts';
import { freePort } from '../processes/free-port.ts';
import { LOG_DIR } from '../processes/log-dir.ts';
import { ClusterTarget } from './cluster-target.ts';
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
 * store of `mode` of its own (no run of an earlier bench is in it), dropped when it stops. A mode with
 * a topology starts each of its processes on that store, the first on `port`.
 */
export async function startApi(
  main: string,
  port: number,
  settings: LaunchSettings,
  mode: StoreMode,
): Promise<Target> {
  const store = await mode.open(dirname(main));
  const paths = {
    start: '/api/workflows/comment-on-issue',
    events: (id: string) => `/api/workflows/${id}/events`,
    run: (id: string) => `/api/workflows/${id}`,
  };
  const drop = () => store.drop();
  let api: Target;
  try {
    const { topology } = mode;
    if (!topology) {
      const child = await spawnApi(main, port, settings, mode.name, store.env);
      api = new Target(mode.name, child, `http://127.0.0.1:${port}`, paths, drop);
    } else {
      const [starter, streamer, ...others] = [topology.starter, topology.streamer, ...topology.others];
      const ports = [port, await freePort(), ...(await Promise.all(others.map(() => freePort())))];
      const processes: BenchProcess[] = [];
      for (const [index, env] of [starter, streamer, ...others].entries()) {
        const own = { ...settings, profileDir: settings.profileDir && `${settings.profileDir}/${index + 1}` };
        const name = `${mode.name}-${index + 1}`;
        processes.push(await spawnApi(main, ports[index], own, name, { ...store.env, ...env }));
      }
      api = new ClusterTarget(mode.name, processes, `http://127.0.0.1:${port}`, ports[1], paths, drop);
    }
  } catch (error) {
    await store.drop();
    throw error;
  }
  const { token } = await api.request<{ token: string }>('POST', '/api/auth/login', USER, 200);
  api.authHeaders = { authorization: `Bearer ${token}` };
  return api;
}

/** One API process on `port`, with `storeEnv` (and the instance's own variables) beside the bench's settings. */
async function spawnApi(
  main: string,
  port: number,
  settings: LaunchSettings,
  name: string,
  storeEnv: Record<string, string>,
): Promise<BenchProcess> {
  const { modelUrl, profileDir, exposeGc, cpuList, env: overrides } = settings;
  const env = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NODE_PATH: join(ROOT, 'node_modules'),
    ...sharedEnv(settings),
    PORT: String(port),
    // Only the mode's store: not a DATABASE_URL or REDIS_URL the bench itself was given.
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    ...storeEnv,
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
  // With --cpu-prof the profile is written when the process exits normally; Nest re-raises SIGTERM
  // after its shutdown hooks, so the bench ends a profiled server with SIGUSR2 instead.
  const flags = nodeFlags({ profileDir, exposeGc }, '--import', EXIT_ON_SIGUSR2);
  return spawnProcess(process.execPath, [...flags, main], {
    env,
    name: `api-${name}`,
    cpuList,
    ready: () => waitForHealth(`http://127.0.0.1:${port}/api/health`),
    stopSignal: profileDir ? 'SIGUSR2' : 'SIGTERM',
  });
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

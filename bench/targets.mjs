// The two servers under test behind one interface: start a run fed by the fake model, say where its
// event stream is, read its state, and measure the process.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_DIR, spawnProcess } from './processes.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const RAW_SERVER = new URL('./raw-sse-server.mjs', import.meta.url).pathname;
const EXIT_ON_SIGUSR2 = new URL('./exit-on-sigusr2.mjs', import.meta.url).pathname;
const GC_ON_REQUEST = new URL('./gc-on-request.mjs', import.meta.url).pathname;
const USER = { username: 'bench', password: 'bench-password-not-secret' };
/** Above every count the bench reaches: the bench measures the streaming path, not the limits. */
const UNLIMITED = '1000000000';

let runKeys = 0;

/** Settings both servers share in a case. */
function sharedEnv({ heartbeatMs, retentionMs }) {
  return {
    HOST: '127.0.0.1',
    SSE_HEARTBEAT_MS: String(heartbeatMs),
    WORKFLOW_RETENTION_MS: String(retentionMs),
  };
}

class Target {
  constructor(name, child, baseUrl) {
    Object.assign(this, { name, child, baseUrl });
    this.port = Number(new URL(baseUrl).port);
  }

  /** Stops the process (SIGSTOP) while the other server is measured, so its GC and timers stay off the core. */
  pause() {
    process.kill(this.child.pid, 'SIGSTOP');
  }

  resume() {
    process.kill(this.child.pid, 'SIGCONT');
  }

  cpuSeconds() {
    return this.child.cpuSeconds();
  }

  rssBytes() {
    return this.child.rssBytes();
  }

  get fdLimit() {
    return this.child.fdLimit;
  }

  openFds() {
    return this.child.openFds();
  }

  /**
   * Starts a run whose model streams `tokens` tokens, one every `intervalMs` (0: as fast as the
   * socket takes them), after `POST /release` on the fake model when `hold`. Answers its id and key.
   */
  async startRun({ tokens, intervalMs = 0, hold = false }) {
    const key = `${this.name}-${process.pid}-${++runKeys}`;
    const title = `BENCH[key=${key} tokens=${tokens} interval=${intervalMs} hold=${hold ? 1 : 0}]`;
    const { workflowId } = await this.request(
      'POST',
      this.paths.start,
      { issue: { title, body: 'bench' } },
      202,
    );
    return { id: workflowId, key };
  }

  /** Where a load worker connects to follow a run. */
  stream(id, headers = {}) {
    return {
      host: '127.0.0.1',
      port: this.port,
      path: this.paths.events(id),
      headers: { ...this.authHeaders, ...headers },
    };
  }

  /** Resolves once the run has ended; answers its last event id. */
  async finished(id, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, lastEventId } = await this.request('GET', this.paths.run(id), undefined, 200);
      if (status !== 'running' && status !== 'queued') return lastEventId;
      if (Date.now() > deadline)
        throw new Error(`${this.name}: run ${id} still ${status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Whether the server still knows the run. */
  async knows(id) {
    const response = await fetch(this.baseUrl + this.paths.run(id), { headers: this.authHeaders });
    await response.arrayBuffer();
    return response.status === 200;
  }

  async request(method, path, body, expected) {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: { ...this.authHeaders, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expected) {
      throw new Error(`${this.name}: ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return text ? JSON.parse(text) : undefined;
  }

  /** A full garbage collection in the server (only when started with `exposeGc`); answers memoryUsage(). */
  async gc() {
    const done = new Promise((resolve) => {
      const onMessage = (message) => {
        if (!message?.gcDone) return;
        this.child.off('message', onMessage);
        resolve(message.gcDone);
      };
      this.child.on('message', onMessage);
    });
    this.child.send('bench:gc');
    return Promise.race([
      done,
      this.child.exited.then(() => {
        throw new Error(`${this.name} exited; see ${this.child.logFile}`);
      }),
    ]);
  }

  stop() {
    return this.child.stop();
  }
}

/** Node flags for a server: a CPU profile, a GC the bench can ask for. */
function nodeFlags({ profileDir, exposeGc }, ...extra) {
  return [
    ...(profileDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${profileDir}`,
          '--heap-prof',
          `--heap-prof-dir=${profileDir}`,
          '--heap-prof-interval=32768',
          ...extra,
        ]
      : []),
    ...(exposeGc ? ['--expose-gc', '--import', GC_ON_REQUEST] : []),
  ];
}

/**
 * Copies the production build of the API out of dist/, so that a rebuild by someone else during the
 * run changes nothing; its packages still come from the repository's node_modules (NODE_PATH), and
 * without a web app beside it the server is the API alone.
 */
export function snapshotApiBuild() {
  const dir = join(LOG_DIR, 'api-build');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, 'dist/apps/api/main.js'), join(dir, 'main.js'));
  return join(dir, 'main.js');
}

/** The API from `snapshotApiBuild()`, with every limit raised and the model pointed at the fake one. */
export async function startApi({
  main,
  port,
  modelUrl,
  heartbeatMs,
  retentionMs,
  profileDir,
  exposeGc,
  cpuList,
}) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_PATH: join(ROOT, 'node_modules'),
    ...sharedEnv({ heartbeatMs, retentionMs }),
    PORT: String(port),
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
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  // With --cpu-prof the profile is written when the process exits normally; Nest re-raises SIGTERM
  // after its shutdown hooks, so the bench ends a profiled server with SIGUSR2 instead.
  const flags = nodeFlags({ profileDir, exposeGc }, '--import', EXIT_ON_SIGUSR2);
  const child = await spawnProcess(process.execPath, [...flags, main], {
    env,
    name: 'api',
    cpuList,
    ready: () => waitForHealth(`${baseUrl}/api/health`),
  });
  if (profileDir) child.stop = stopWithSignal(child, 'SIGUSR2');
  const api = new Target('api', child, baseUrl);
  api.paths = {
    start: '/api/workflows/comment-on-issue',
    events: (id) => `/api/workflows/${id}/events`,
    run: (id) => `/api/workflows/${id}`,
  };
  api.authHeaders = {};
  const { token } = await api.request('POST', '/api/auth/login', USER, 200);
  api.authHeaders = { authorization: `Bearer ${token}` };
  return api;
}

/** The raw node:http baseline, fed by the same fake model. */
export async function startRaw({ port, modelUrl, heartbeatMs, retentionMs, profileDir, exposeGc, cpuList }) {
  const env = { ...sharedEnv({ heartbeatMs, retentionMs }), PORT: String(port), MODEL_URL: modelUrl };
  const child = await spawnProcess(process.execPath, [...nodeFlags({ profileDir, exposeGc }), RAW_SERVER], {
    env,
    name: 'raw',
    cpuList,
  });
  const raw = new Target('raw', child, `http://127.0.0.1:${child.firstMessage.listening}`);
  raw.paths = { start: '/runs', events: (id) => `/runs/${id}/events`, run: (id) => `/runs/${id}` };
  raw.authHeaders = {};
  return raw;
}

async function waitForHealth(url) {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within 60 s`);
}

function stopWithSignal(child, signal) {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await child.exited;
  };
}

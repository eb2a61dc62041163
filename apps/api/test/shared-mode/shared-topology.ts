import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readSse, type SseSession } from '../sse-client';
import { signInAlice, startServerProcess } from '../server-process';

/** One process of a shared-mode deployment, started by `main.ts` as in production. */
export interface SharedProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** `fetch` against it as `alice`, with a JSON body when given. */
  request(path: string, options?: { method?: string; body?: unknown }): Promise<Response>;
  /** The run's stream from the start, read until the server ends it. */
  replay(workflowId: string): Promise<SseSession>;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a process of `role` on the shared store of `env` (its DATABASE_URL, REDIS_URL, prefix),
 * with the offline drafter at a pace that keeps a run going for a few seconds.
 */
export async function startSharedProcess(
  env: Record<string, string>,
  role: 'api' | 'worker' | 'all',
  extra: Record<string, string> = {},
): Promise<SharedProcess> {
  const { child, baseUrl } = await startServerProcess({
    ROLE: role,
    LLM_PROVIDER: 'offline',
    OFFLINE_LLM_DELAY_MS: '20',
    ...env,
    ...extra,
  });
  // Any instance verifies the tokens of any other: they share AUTH_JWT_SECRET.
  const authorization = role === 'worker' ? undefined : await signInAlice(baseUrl);
  const request = (path: string, { method = 'GET', body }: { method?: string; body?: unknown } = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(authorization && { authorization }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    child,
    baseUrl,
    request,
    replay: (workflowId) =>
      readSse(`${baseUrl}/api/workflows/${workflowId}/events`, { ...(authorization && { authorization }) }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/** Polls the run's snapshot on `instance` until `done` holds of it. */
export async function waitForSnapshot(
  instance: SharedProcess,
  workflowId: string,
  done: (snapshot: { status: string; lastEventId: number; error?: { code: string } }) => boolean,
): Promise<{ status: string; lastEventId: number; error?: { code: string; retryable: boolean } }> {
  for (;;) {
    const snapshot = (await (await instance.request(`/api/workflows/${workflowId}`)).json()) as {
      status: string;
      lastEventId: number;
      error?: { code: string; retryable: boolean };
    };
    if (done(snapshot)) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

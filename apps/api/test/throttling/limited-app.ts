import type { RunPage, RunStarted } from '@issuecast/workflows-api';
import type { SseSession } from '../sse-client';
import { startTestApp, type TestApp, type TestUser } from '../test-app';

const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } };
/** Short, so the tests that wait for a window to pass stay short. */
export const WINDOW_MS = '1000';
/** Room for the waits of a window or two on a busy machine. */
export const WAITS_FOR_A_WINDOW = 20_000;

/** A refusal as a client sees it: a JSON answer, or an SSE connection answered with JSON. */
export type Answer = Pick<Response, 'status' | 'headers'> | SseSession;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Repeats `attempt` until it is no longer refused with 429: the limit has let go. */
export async function untilNotLimited<T extends Answer>(attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    const answer = await attempt();
    if (answer.status !== 429) return answer;
    if (answer instanceof Response) await answer.body?.cancel();
    await pause(50);
  }
}

/** Checks a 429 the way a client reads it: `Retry-After` in whole seconds, and problem details. */
export async function expectTooMany(answer: Answer, message: RegExp): Promise<void> {
  const body = answer instanceof Response ? await answer.json() : (answer as SseSession).body;

  expect(answer.status).toBe(429);
  expect(answer.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  expect(body).toMatchObject({
    status: 429,
    statusCode: 429,
    detail: expect.stringMatching(message),
    message: expect.stringMatching(message),
  });
}

export async function withApp(
  env: Record<string, string>,
  test: (api: TestApp) => Promise<void>,
): Promise<void> {
  const api = await startTestApp(env);
  try {
    await test(api);
  } finally {
    await api.close();
  }
}

export function start(api: TestApp, as: TestUser = 'alice', body: unknown = PASTED): Promise<Response> {
  return api.request('/api/workflows/comment-on-issue', { method: 'POST', body, as });
}

export async function startRun(api: TestApp, as: TestUser = 'alice'): Promise<RunStarted> {
  const response = await start(api, as);
  expect(response.status).toBe(202);
  return (await response.json()) as RunStarted;
}

export async function runsOf(api: TestApp, as: TestUser = 'alice'): Promise<RunPage['items']> {
  const response = await api.request('/api/workflows?pageSize=100', { as });
  return ((await response.json()) as RunPage).items;
}

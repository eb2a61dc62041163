import type { WorkflowEvent } from '@issuecast/workflow-events';
import { EventSource } from 'eventsource';
import { errorAnswer, type FakeOpenAi, startFakeOpenAi } from '../fake-openai-server';
import { startTestApp, type TestApp } from '../test-app';

/** What an `eventsource` client saw until it gave up for good (readyState CLOSED). */
interface Followed {
  failures: WorkflowEvent[];
  /** Every `error` its listeners received: the HTTP status when there was one, and whether it had data. */
  errors: { code?: number; readyState: number; hasData: boolean }[];
  onerrorCalls: number;
}

/** Follows a stream with the `eventsource` package, as another service would, until it closes. */
function follow(url: string, token?: string): Promise<Followed> {
  const source = new EventSource(url, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...init.headers, ...(token && { authorization: `Bearer ${token}` }) },
      }),
  });
  const followed: Followed = { failures: [], errors: [], onerrorCalls: 0 };
  source.onerror = () => followed.onerrorCalls++;
  source.addEventListener('run_error', (message: MessageEvent<string>) =>
    followed.failures.push(JSON.parse(message.data) as WorkflowEvent),
  );
  return new Promise((resolve) => {
    source.addEventListener('error', (event) => {
      followed.errors.push({
        code: (event as { code?: number }).code,
        readyState: source.readyState,
        hasData: 'data' in event,
      });
      if (source.readyState === EventSource.CLOSED) resolve(followed);
    });
  });
}

describe('the stream read with the eventsource package', () => {
  let openai: FakeOpenAi;
  let api: TestApp;

  beforeAll(async () => {
    openai = await startFakeOpenAi({ fallback: errorAnswer(500, { message: 'The model is down' }) });
    api = await startTestApp({ ...openai.appEnv, SSE_RETRY_MS: '20' });
  });

  afterAll(async () => {
    await api.close();
    await openai.close();
  });

  it('gets a failed run’s end as its own run_error event; error fires only for the end of the connection', async () => {
    const started = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } },
    });
    const { workflowId } = (await started.json()) as { workflowId: string };

    const followed = await follow(`${api.baseUrl}/api/workflows/${workflowId}/events`, api.tokens.alice);

    expect(followed.failures).toEqual([
      expect.objectContaining({
        workflowId,
        type: 'error',
        data: expect.objectContaining({ code: 'llm_failed' }),
      }),
    ]);
    // The server ends the response (the client reconnects), then answers the resume with 204 (it stops).
    expect(followed.errors).toEqual([
      { code: undefined, readyState: EventSource.CONNECTING, hasData: false },
      { code: 204, readyState: EventSource.CLOSED, hasData: false },
    ]);
    expect(followed.onerrorCalls).toBe(2);
  });

  it('reports a refused connection (401) through error, with its status, and stops', async () => {
    const followed = await follow(`${api.baseUrl}/api/workflows/${crypto.randomUUID()}/events`);

    expect(followed).toEqual({
      failures: [],
      errors: [{ code: 401, readyState: EventSource.CLOSED, hasData: false }],
      onerrorCalls: 1,
    });
  });
});

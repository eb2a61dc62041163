import { isTerminalEvent, SSE_EVENT_NAMES, type WorkflowEvent } from '@issuecast/workflow-events';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../fake-openai-server';
import { startTestApp, type TestApp } from '../test-app';
import { EventStreamController } from '../../src/event-stream/event-stream.controller';

const DELTAS = Array.from({ length: 60 }, (_, index) => `token${index} `);

describe(EventStreamController.name, () => {
  let openai: FakeOpenAi;
  let api: TestApp;

  beforeAll(async () => {
    openai = await startFakeOpenAi({ fallback: streamAnswer(DELTAS, { chunkDelayMs: 2 }) });
    api = await startTestApp({
      ...openai.appEnv,
      SSE_HEARTBEAT_MS: '100',
      SSE_RETRY_MS: '1500',
    });
  });

  afterAll(async () => {
    await api.close();
    await openai.close();
  });

  async function startRun(): Promise<string> {
    const response = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } },
    });
    expect(response.status).toBe(202);
    const { workflowId } = (await response.json()) as { workflowId: string };
    return workflowId;
  }

  const eventsUrl = (workflowId: string, query = '') => `/api/workflows/${workflowId}/events${query}`;

  it('streams a run from queued to complete with ids 1..n, and the tokens add up to the comment', async () => {
    const session = await api.readSse(eventsUrl(await startRun()));

    expect(session.status).toBe(200);
    expect(session.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(session.headers.get('cache-control')).toEqual(expect.stringContaining('no-cache'));
    expect(session.headers.get('cache-control')).toEqual(expect.stringContaining('no-transform'));
    expect(session.headers.get('x-accel-buffering')).toBe('no');
    expect(session.retry).toBe(1500);

    const { events } = session;
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(session.messages.map(({ id, event }) => [id, event])).toEqual(
      events.map((e) => [String(e.id), SSE_EVENT_NAMES[e.type]]),
    );
    expect(events[0]).toMatchObject({ type: 'status', data: { step: 'queued' } });
    const last = events.at(-1) as WorkflowEvent<'complete'>;
    expect(last.type).toBe('complete');
    expect(events.filter(isTerminalEvent)).toHaveLength(1);
    expect(textOf(events)).toBe(DELTAS.join(''));
    expect(last.data.content).toBe(DELTAS.join(''));
  });

  it('gives a client that joins after the end the same events, then ends the response', async () => {
    const workflowId = await startRun();
    const first = await api.readSse(eventsUrl(workflowId));
    const late = await api.readSse(eventsUrl(workflowId));

    expect(late.events).toEqual(first.events);
    await expect(late.finished).resolves.toBe('ended');
  });

  it('gives every client of a live run the same events', async () => {
    const workflowId = await startRun();
    const sessions = await Promise.all([1, 2, 3].map(() => api.readSse(eventsUrl(workflowId))));

    expect(sessions[1].events).toEqual(sessions[0].events);
    expect(sessions[2].events).toEqual(sessions[0].events);
  });

  it('resumes after the Last-Event-ID header or the lastEventId query with exactly the events after it', async () => {
    const workflowId = await startRun();
    const all = (await api.readSse(eventsUrl(workflowId))).events;

    const byHeader = await api.readSse(eventsUrl(workflowId), { 'last-event-id': '17' });
    const byQuery = await api.readSse(eventsUrl(workflowId, '?lastEventId=17'));

    expect(byHeader.events).toEqual(all.slice(17));
    expect(byQuery.events).toEqual(all.slice(17));
  });

  it('rebuilds the exact comment for a client that drops and resumes many times, with no event twice', async () => {
    const workflowId = await startRun();
    const received: WorkflowEvent[] = [];
    const random = seededRandom(7);
    let reconnections = 0;

    while (!received.some(isTerminalEvent)) {
      const lastId = received.at(-1)?.id ?? 0;
      const session = await api.openSse(
        eventsUrl(workflowId),
        lastId ? { 'last-event-id': String(lastId) } : {},
      );
      const dropAfter = 1 + Math.floor(random() * 6);
      const target = session.waitFor((event) => event.id >= lastId + dropAfter || isTerminalEvent(event));
      await Promise.race([target, session.finished]);
      session.abort();
      await session.finished;
      received.push(...session.events);
      reconnections++;
    }

    expect(reconnections).toBeGreaterThan(5);
    expect(received.map((event) => event.id)).toEqual(received.map((_, index) => index + 1));
    const complete = received.at(-1) as WorkflowEvent<'complete'>;
    expect(textOf(received)).toBe(complete.data.content);
    expect(complete.data.content).toBe(DELTAS.join(''));
  });

  it('sends heartbeat comments while the model is silent', async () => {
    openai.script(streamAnswer(['slow ', 'answer'], { chunkDelayMs: 450 }));
    const session = await api.readSse(eventsUrl(await startRun()));

    const beforeFirstToken = session.comments.length;
    expect(beforeFirstToken).toBeGreaterThanOrEqual(3);
    expect(session.events.at(-1)?.type).toBe('complete');
  });

  it('ends a cancelled run with one cancelled error and aborts the model request', async () => {
    openai.script(streamAnswer(DELTAS, { chunkDelayMs: 50 }));
    const workflowId = await startRun();
    const session = await api.openSse(eventsUrl(workflowId));
    await session.waitFor((event) => event.type === 'llm_response');
    const modelRequest = openai.requests.at(-1);

    const cancel = await api.request(`/api/workflows/${workflowId}/cancel`, { method: 'POST' });
    await session.finished;

    expect(cancel.status).toBe(200);
    expect(await cancel.json()).toMatchObject({ workflowId, status: 'cancelled' });
    expect(session.events.at(-1)).toMatchObject({
      type: 'error',
      data: { code: 'cancelled', retryable: false },
    });
    expect(session.events.filter(isTerminalEvent)).toHaveLength(1);
    await expect(modelRequest?.connectionEnd).resolves.toBe('closed_by_client');
  });

  it('answers 204 to a client that already has the terminal event, so an EventSource stops reconnecting', async () => {
    const workflowId = await startRun();
    const { events } = await api.readSse(eventsUrl(workflowId));

    const response = await api.request(eventsUrl(workflowId), {
      headers: { 'last-event-id': String(events.length) },
    });

    expect(response.status).toBe(204);
  });

  it.each([
    ['a malformed workflow id', '/api/workflows/not-a-uuid/events', {}, 400, 'workflowId must be a UUID'],
    [
      'a malformed lastEventId',
      `/api/workflows/${randomUUID()}/events?lastEventId=abc`,
      {},
      400,
      'lastEventId',
    ],
    [
      'a negative lastEventId',
      `/api/workflows/${randomUUID()}/events?lastEventId=-1`,
      {},
      400,
      'lastEventId',
    ],
    [
      'a malformed Last-Event-ID header',
      `/api/workflows/${randomUUID()}/events`,
      { 'last-event-id': 'x1' },
      400,
      'Last-Event-ID',
    ],
    ['an unknown workflow', `/api/workflows/${randomUUID()}/events`, {}, 404, 'was not found'],
  ])('answers %s with JSON before any stream starts', async (_case, path, headers, status, message) => {
    const session = await api.openSse(path, headers);

    expect(session.status).toBe(status);
    expect(session.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(session.body).toMatchObject({
      status,
      statusCode: status,
      instance: path.split('?')[0],
      detail: expect.stringContaining(message),
    });
  });

  it('drops a client that stops reading once too much waits for it, while the run goes on', async () => {
    // Far more than the socket buffers and the server's allowance for a client that is not reading.
    const bigDeltas = Array.from({ length: 1500 }, (_, index) => `${index}`.padEnd(16_000, '.'));
    openai.script(streamAnswer(bigDeltas, { chunkDelayMs: 1 }));
    const workflowId = await startRun();

    let received = '';
    let resumeReading: () => void = () => undefined;
    const slowClientClosed = new Promise<void>((resolve) => {
      const headers = { authorization: `Bearer ${api.tokens.alice}` };
      const request = httpRequest(`${api.baseUrl}${eventsUrl(workflowId)}`, { headers }, (response) => {
        response.pause();
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (received += chunk));
        response.on('close', resolve);
        resumeReading = () => response.resume();
      });
      request.on('error', () => resolve());
      request.end();
    });
    const reader = await api.readSse(eventsUrl(workflowId));
    resumeReading();
    await slowClientClosed;
    const lastIdSeen = Number([...received.matchAll(/^id: (\d+)$/gm)].at(-1)?.[1] ?? 0);
    const resumed = await api.readSse(eventsUrl(workflowId), { 'last-event-id': String(lastIdSeen) });

    expect(reader.events.at(-1)?.type).toBe('complete');
    expect(received).toContain('event: llm_response');
    expect(received).not.toContain('event: complete');
    expect(resumed.events[0].id).toBe(lastIdSeen + 1);
    expect(resumed.events.at(-1)?.type).toBe('complete');
  }, 20_000);
});

describe('the stream time limit', () => {
  it('closes a stream that outlives SSE_MAX_CONNECTION_MS, and the client resumes where it was', async () => {
    const openai = await startFakeOpenAi({ fallback: streamAnswer(['a', 'b', 'c'], { chunkDelayMs: 700 }) });
    const api = await startTestApp({ OPENAI_BASE_URL: openai.baseUrl, SSE_MAX_CONNECTION_MS: '1000' });
    try {
      const started = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        body: { issue: { title: 'Slow' } },
      });
      const { workflowId } = (await started.json()) as { workflowId: string };
      const url = `/api/workflows/${workflowId}/events`;

      const connections: WorkflowEvent[][] = [];
      while (!connections.flat().some(isTerminalEvent)) {
        const lastId = connections.flat().at(-1)?.id ?? 0;
        connections.push((await api.readSse(url, { 'last-event-id': String(lastId) })).events);
      }
      const received = connections.flat();

      expect(connections.length).toBeGreaterThan(1);
      expect(connections[0].some(isTerminalEvent)).toBe(false);
      expect(received.map((event) => event.id)).toEqual(received.map((_, index) => index + 1));
      expect(textOf(received)).toBe('abc');
    } finally {
      await api.close();
      await openai.close();
    }
  });
});

function textOf(events: WorkflowEvent[]): string {
  return events
    .filter((event): event is WorkflowEvent<'llm_response'> => event.type === 'llm_response')
    .map((event) => event.data.content)
    .join('');
}

/** A small deterministic generator, so a failing sequence of drops can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

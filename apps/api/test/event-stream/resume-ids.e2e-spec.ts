import { isTerminalEvent } from '@issuecast/workflow-events';
import { type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../fake-openai-server';
import { describeOnEachStore } from '../store/test-store';
import { startTestApp, type TestApp } from '../test-app';

/** Shared by both apps: Passport keeps one `jwt` strategy per process, the last app's. */
const SECRET = 'resume-ids-spec-secret-0123456789abcdef';
const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } };

const stallingAnswer = () => streamAnswer(['Looking into it'], { end: 'stall' });

interface ErrorBody {
  statusCode: number;
  message: string | string[];
}

describeOnEachStore('resume ids', (store) => {
  let openai: FakeOpenAi;
  let api: TestApp;

  beforeAll(async () => {
    openai = await startFakeOpenAi({
      fallback: streamAnswer(Array.from({ length: 30 }, (_, index) => `token${index} `)),
    });
    api = await startTestApp({ AUTH_JWT_SECRET: SECRET, ...openai.appEnv }, { store });
  });

  afterAll(async () => {
    await api.close();
    await openai.close();
  });

  async function startRun(): Promise<string> {
    const response = await api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED });
    expect(response.status).toBe(202);
    return ((await response.json()) as { workflowId: string }).workflowId;
  }

  async function finishedRun(): Promise<{ workflowId: string; lastId: number }> {
    const workflowId = await startRun();
    const { events } = await api.readSse(`/api/workflows/${workflowId}/events`);
    return { workflowId, lastId: events.at(-1)?.id ?? 0 };
  }

  /** A run whose model never finishes: its last event so far is a model response. */
  async function liveRun(): Promise<{ workflowId: string; lastId: number }> {
    openai.script(stallingAnswer());
    const workflowId = await startRun();
    const session = await api.openSse(`/api/workflows/${workflowId}/events`);
    const event = await session.waitFor((candidate) => candidate.type === 'llm_response');
    session.abort();
    return { workflowId, lastId: event.id };
  }

  describe('an id the run has not reached', () => {
    it.each([
      [
        'finished',
        finishedRun,
        'Last-Event-ID',
        (id: number) => ({ path: '', headers: { 'last-event-id': String(id) } }),
      ],
      ['finished', finishedRun, 'lastEventId', (id: number) => ({ path: `?lastEventId=${id}`, headers: {} })],
      [
        'live',
        liveRun,
        'Last-Event-ID',
        (id: number) => ({ path: '', headers: { 'last-event-id': String(id) } }),
      ],
      ['live', liveRun, 'lastEventId', (id: number) => ({ path: `?lastEventId=${id}`, headers: {} })],
    ])(
      'on a %s run is refused by %s with 400 before any stream starts',
      async (_state, makeRun, name, resume) => {
        const { workflowId, lastId } = await makeRun();
        const { path, headers } = resume(lastId + 500);

        const session = await api.openSse(`/api/workflows/${workflowId}/events${path}`, headers);

        expect(session.status).toBe(400);
        expect(session.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
        expect((session.body as ErrorBody).message).toContain(name);
        expect((session.body as ErrorBody).message).toContain(String(lastId + 500));
      },
    );

    it('leaves no stream open: the user can still open streams up to the cap', async () => {
      const capped = await startTestApp(
        { AUTH_JWT_SECRET: SECRET, MAX_OPEN_STREAMS_PER_USER: '1' },
        { store },
      );
      try {
        const started = await capped.request('/api/workflows/comment-on-issue', {
          method: 'POST',
          body: PASTED,
        });
        const { eventsUrl } = (await started.json()) as { eventsUrl: string };
        const { events } = await capped.readSse(eventsUrl);

        const beyond = await capped.openSse(eventsUrl, { 'last-event-id': String(events.length + 500) });
        const fromStart = await capped.readSse(eventsUrl);

        expect(beyond.status).toBe(400);
        expect(fromStart.status).toBe(200);
        expect(fromStart.events.filter(isTerminalEvent)).toHaveLength(1);
      } finally {
        await capped.close();
      }
    });
  });

  describe('?lastEventId=', () => {
    // Small values, which the run has reached: only their spelling is wrong.
    it.each(['1e1', '0x10', '+5', '5.0', '', ' 5', '-1'])(
      'refuses %j with 400 naming lastEventId, as the header would',
      async (value) => {
        const { workflowId } = await finishedRun();

        const session = await api.openSse(
          `/api/workflows/${workflowId}/events?lastEventId=${encodeURIComponent(value)}`,
        );

        expect(session.status).toBe(400);
        expect([(session.body as ErrorBody).message].flat()).toEqual([
          'lastEventId must be a non-negative integer',
        ]);
      },
    );

    it('resumes after a plain decimal id exactly like the header', async () => {
      const { workflowId } = await finishedRun();

      const byQuery = await api.readSse(`/api/workflows/${workflowId}/events?lastEventId=5`);
      const byHeader = await api.readSse(`/api/workflows/${workflowId}/events`, { 'last-event-id': '5' });

      expect(byQuery.events[0]?.id).toBe(6);
      expect(byQuery.events).toEqual(byHeader.events);
    });
  });

  describe('an upper-case workflow id', () => {
    it('is the same run as its lower-case form on every route', async () => {
      openai.script(stallingAnswer());
      const workflowId = await startRun();
      const upper = workflowId.toUpperCase();

      const snapshot = await api.request(`/api/workflows/${upper}`);
      const session = await api.openSse(`/api/workflows/${upper}/events`);
      const first = await session.waitFor(() => true);
      session.abort();
      const cancel = await api.request(`/api/workflows/${upper}/cancel`, { method: 'POST' });
      const cancelled = await api.readSse(`/api/workflows/${workflowId}/events`);
      const post = await api.request(`/api/workflows/${upper}/post`, { method: 'POST' });

      expect(snapshot.status).toBe(200);
      expect(((await snapshot.json()) as { workflowId: string }).workflowId).toBe(workflowId);
      expect(first.workflowId).toBe(workflowId);
      expect(cancel.status).toBeLessThan(300);
      expect(cancelled.events.filter(isTerminalEvent)).toHaveLength(1);
      expect(post.status).not.toBe(404);
    });
  });
});

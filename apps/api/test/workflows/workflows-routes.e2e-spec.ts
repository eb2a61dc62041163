import type { RunPage, RunSnapshot, RunStarted } from '@issuecast/workflows-api';
import { isTerminalEvent } from '@issuecast/workflow-events';
import { randomUUID } from 'node:crypto';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github-server';
import { describeOnEachStore } from '../store/test-store';
import { startTestApp, type TestApp } from '../test-app';

const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app with TypeError.' } };

describeOnEachStore('the workflows API', (store) => {
  let github: FakeGitHub;
  let api: TestApp;

  beforeAll(async () => {
    github = await startFakeGitHub();
    github.addIssue('octo-org/octo-repo', {
      number: 7,
      title: 'Login loops forever',
      body: 'After 2FA the page reloads.',
    });
    api = await startTestApp({ GITHUB_API_URL: github.apiUrl }, { store });
  });

  afterAll(async () => {
    await api.close();
    await github.close();
  });

  async function start(body: unknown): Promise<Response> {
    return api.request('/api/workflows/comment-on-issue', { method: 'POST', body });
  }

  async function runToEnd(body: unknown = PASTED) {
    const started = (await (await start(body)).json()) as RunStarted;
    const session = await api.readSse(started.eventsUrl);
    return { started, events: session.events };
  }

  async function total(): Promise<number> {
    return ((await (await api.request('/api/workflows')).json()) as RunPage).total;
  }

  describe('POST /api/workflows/comment-on-issue', () => {
    it('answers 202 at once with the run id, its events URL and the queued state', async () => {
      const response = await start(PASTED);
      const body = (await response.json()) as RunStarted;

      expect(response.status).toBe(202);
      expect(body).toEqual({
        workflowId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        eventsUrl: `/api/workflows/${body.workflowId}/events`,
        status: 'queued',
      });
    });

    it('refuses a body that is not JSON with 400', async () => {
      const response = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: undefined,
      });
      const malformed = await fetch(`${api.baseUrl}/api/workflows/comment-on-issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api.tokens.alice}` },
        body: '{"issue":',
      });

      expect(response.status).toBe(400);
      expect(malformed.status).toBe(400);
    });
  });

  describe('a run of a GitHub issue', () => {
    it('fetches the issue and drafts a comment on it', async () => {
      const { events } = await runToEnd({ repository: 'octo-org/octo-repo', issueNumber: 7 });

      expect(events.map((event) => event.type === 'status' && event.data.step).filter(Boolean)).toEqual([
        'queued',
        'fetching_issue',
        'drafting',
      ]);
      expect(events.at(-1)).toMatchObject({
        type: 'complete',
        data: { content: expect.stringContaining('2FA') },
      });
    });

    it('ends with a github_failed error when the issue does not exist', async () => {
      const { started, events } = await runToEnd({ repository: 'octo-org/octo-repo', issueNumber: 404 });
      const snapshot = (await (
        await api.request(`/api/workflows/${started.workflowId}`)
      ).json()) as RunSnapshot;

      expect(events.filter(isTerminalEvent)).toEqual([
        expect.objectContaining({ type: 'error', data: expect.objectContaining({ code: 'github_failed' }) }),
      ]);
      expect(events.at(-1)?.data.content).toContain('octo-org/octo-repo#404');
      expect(snapshot).toMatchObject({ status: 'failed', error: { code: 'github_failed' } });
    });
  });

  describe('GET /api/workflows/:workflowId', () => {
    it('answers the finished run: state, final text, last event id and times', async () => {
      const { started, events } = await runToEnd();
      const response = await api.request(`/api/workflows/${started.workflowId}`);
      const snapshot = (await response.json()) as RunSnapshot;
      const complete = events.at(-1);

      expect(response.status).toBe(200);
      expect(snapshot).toMatchObject({
        workflowId: started.workflowId,
        status: 'completed',
        issue: { title: 'Crash on save' },
        text: complete?.data.content,
        lastEventId: complete?.id,
        finishedAt: complete?.timestamp,
        eventsUrl: started.eventsUrl,
      });
    });

    it('answers 404 for an unknown run and 400 for a malformed id', async () => {
      const unknown = await api.request(`/api/workflows/${randomUUID()}`);
      const malformed = await api.request('/api/workflows/42');

      expect(unknown.status).toBe(404);
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ message: 'workflowId must be a UUID' });
    });
  });

  describe('GET /api/workflows', () => {
    it('lists the runs newest first, a page at a time', async () => {
      const ids: string[] = [];
      for (let index = 0; index < 3; index++) ids.push((await runToEnd()).started.workflowId);

      const response = await api.request('/api/workflows?page=1&pageSize=2');
      const firstPage = (await response.json()) as RunPage;
      const secondPage = (await (await api.request('/api/workflows?page=2&pageSize=2')).json()) as RunPage;

      expect(response.status).toBe(200);
      expect(firstPage).toMatchObject({ page: 1, pageSize: 2, total: await total() });
      expect(firstPage.items.map((run) => run.workflowId)).toEqual([ids[2], ids[1]]);
      expect(secondPage.items[0].workflowId).toBe(ids[0]);
    });

    it('lists only the runs in ?state= and on ?repository= (in any case), with their total', async () => {
      github.addIssue('octo-org/listed', { number: 1, title: 'Listed', body: 'Only here.' });
      const drafted = await runToEnd({ repository: 'octo-org/listed', issueNumber: 1 });
      const failed = await runToEnd({ repository: 'octo-org/listed', issueNumber: 404 });
      const pasted = await runToEnd({ ...PASTED, repository: 'Octo-Org/Listed' });
      const [draftedId, failedId, pastedId] = [drafted, failed, pasted].map(
        ({ started }) => started.workflowId,
      );
      const listed = async (query: string) => {
        const page = (await (await api.request(`/api/workflows?pageSize=100&${query}`)).json()) as RunPage;
        return { ids: page.items.map((run) => run.workflowId), total: page.total };
      };

      const completed = await listed('state=completed');

      expect(await listed('repository=OCTO-ORG/listed')).toEqual({
        ids: [pastedId, failedId, draftedId],
        total: 3,
      });
      expect(await listed('repository=octo-org/listed&state=failed')).toEqual({ ids: [failedId], total: 1 });
      expect(completed.ids).toEqual(expect.arrayContaining([draftedId, pastedId]));
      expect(completed.ids).not.toContain(failedId);
      expect(completed.total).toBe(completed.ids.length);
    });

    it('refuses a page size past 100', async () => {
      const response = await api.request('/api/workflows?pageSize=1000');

      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('pageSize');
    });
  });

  describe('POST /api/workflows/:workflowId/cancel', () => {
    it('answers 409 for a run that has already finished, and 404 for an unknown one', async () => {
      const { started } = await runToEnd();

      const finished = await api.request(`/api/workflows/${started.workflowId}/cancel`, { method: 'POST' });
      const unknown = await api.request(`/api/workflows/${randomUUID()}/cancel`, { method: 'POST' });

      expect(finished.status).toBe(409);
      expect(await finished.json()).toMatchObject({ message: expect.stringContaining('completed') });
      expect(unknown.status).toBe(404);
    });
  });

  describe('GET /api/health and the API docs', () => {
    it('answers ok', async () => {
      const response = await api.request('/api/health');

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('documents the SSE endpoint as text/event-stream with a schema for every event type', async () => {
      const document = (await (await api.request('/api/docs-json')).json()) as {
        paths: Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
        >;
        components: { schemas: Record<string, unknown> };
      };
      const ui = await api.request('/api/docs');

      const sse = document.paths['/api/workflows/{workflowId}/events'].get;
      expect(Object.keys(sse.responses['200'].content ?? {})).toEqual(['text/event-stream']);
      for (const type of ['status', 'llm_response', 'tool_call', 'tool_result', 'error', 'complete']) {
        expect(document.components.schemas[`WorkflowEvent_${type}`]).toBeDefined();
      }
      expect(document.paths['/api/workflows/comment-on-issue'].post.responses['202']).toBeDefined();
      expect(ui.status).toBe(200);
    });
  });
});

describe('run limits', () => {
  it('ends a run that reaches WORKFLOW_MAX_EVENTS with one limit_exceeded error', async () => {
    const api = await startTestApp({ WORKFLOW_MAX_EVENTS: '10' });
    try {
      const started = (await (
        await api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED })
      ).json()) as RunStarted;
      const { events } = await api.readSse(started.eventsUrl);

      expect(events).toHaveLength(10);
      expect(events.filter(isTerminalEvent)).toEqual([events[9]]);
      expect(events[9]).toMatchObject({ type: 'error', data: { code: 'limit_exceeded', retryable: false } });
    } finally {
      await api.close();
    }
  });

  it('forgets a finished run after WORKFLOW_RETENTION_MS', async () => {
    const api = await startTestApp({ WORKFLOW_RETENTION_MS: '0' });
    try {
      const started = (await (
        await api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED })
      ).json()) as RunStarted;
      await api.readSse(started.eventsUrl);
      let status = 200;
      while (status === 200) status = (await api.request(`/api/workflows/${started.workflowId}`)).status;
      const events = await api.request(started.eventsUrl);

      expect(status).toBe(404);
      expect(events.status).toBe(404);
    } finally {
      await api.close();
    }
  });
});

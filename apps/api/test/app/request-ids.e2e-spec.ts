import type { RunStarted } from '@issuecast/workflows-api';
import { startTestApp, type TestApp } from '../test-app';
import { requestIdOf } from '../../src/app/request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe(requestIdOf.name, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ LOG_LEVEL: 'info' });
  });

  afterAll(() => api.close());

  it('answers every request with a new X-Request-Id when none is sent', async () => {
    const first = await api.request('/api/auth/me');
    const second = await api.request('/api/no-such-route');

    expect(first.headers.get('x-request-id')).toMatch(UUID);
    expect(second.headers.get('x-request-id')).toMatch(UUID);
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
  });

  it.each(['trace-42', 'a1B2.c3_d4:e5-f6', 'x'.repeat(128)])(
    'keeps a well-formed incoming id (%s)',
    async (id) => {
      const response = await api.request('/api/auth/me', { headers: { 'x-request-id': id } });

      expect(response.headers.get('x-request-id')).toBe(id);
    },
  );

  it.each(['has spaces', 'semi;colon', 'x'.repeat(129), '<script>'])(
    'replaces a malformed incoming id (%s) with a new one',
    async (id) => {
      const response = await api.request('/api/auth/me', { headers: { 'x-request-id': id } });

      expect(response.headers.get('x-request-id')).toMatch(UUID);
    },
  );

  it('answers a request refused for its body with an id too', async () => {
    const response = await api.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-request-id': 'refused-1' },
      body: 'username=alice',
    });

    expect(response.status).toBe(415);
    expect(response.headers.get('x-request-id')).toBe('refused-1');
  });

  it("puts the id on every log line of the request, the run's lines next to their workflowId", async () => {
    const response = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      headers: { 'x-request-id': 'start-run-7' },
      body: { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } },
    });
    const { workflowId, eventsUrl } = (await response.json()) as RunStarted;
    await api.readSse(eventsUrl);

    const lines = api.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const runLines = lines.filter((line) => line['workflowId'] === workflowId);
    const requestLines = lines.filter((line) => line['requestId'] === 'start-run-7');
    expect(runLines.length).toBeGreaterThan(1);
    expect(runLines.map((line) => line['requestId'])).toEqual(runLines.map(() => 'start-run-7'));
    expect(requestLines).toContainEqual(expect.objectContaining({ msg: 'request completed' }));
  });
});

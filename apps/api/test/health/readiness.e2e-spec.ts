import { expectProblem } from '../problem-details';
import { startTestApp, type TestApp } from '../test-app';
import { HealthController } from '../../src/health/health.controller';

const PASTED_RUN = { issue: { title: 'The export button does nothing', body: 'Clicking it shows no file.' } };

describe(HealthController.name, () => {
  describe('while serving', () => {
    let api: TestApp;
    beforeAll(async () => (api = await startTestApp()));
    afterAll(() => api.close());

    it('answers the liveness probe without a session', async () => {
      const response = await api.request('/api/health', { as: 'anonymous' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('answers ready (200) without a session, with every check up', async () => {
      const response = await api.request('/api/health/ready', { as: 'anonymous' });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', info: { shutdown: { status: 'up' } } });
    });
  });

  it('answers 503 naming the shutdown check once stopping begins, before the port closes', async () => {
    // The drain keeps the port open until a probe has seen the 503; the run is far from done.
    const api = await startTestApp({ OFFLINE_LLM_DELAY_MS: '60000', SHUTDOWN_DRAIN_MS: '60000' });
    const started = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: PASTED_RUN,
    });
    const { eventsUrl } = (await started.json()) as { eventsUrl: string };
    const stream = await api.openSse(eventsUrl);
    await stream.waitFor((event) => event.type === 'llm_response');

    const closing = api.close();
    // A run started once stopping has begun could not finish before the process ends: refused.
    let lateStart: Response;
    do lateStart = await api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED_RUN });
    while (lateStart.status === 202);
    expect(lateStart.status).toBe(503);
    expect(await lateStart.json()).toMatchObject({ message: expect.stringMatching(/shutting down/) });

    // A probe polls, as a load balancer would, until it learns of the shutdown.
    let ready: Response;
    do ready = await api.request('/api/health/ready', { as: 'anonymous' });
    while (ready.status === 200);

    const problem = await expectProblem(ready, {
      status: 503,
      instance: '/api/health/ready',
      detail: 'Not ready: shutdown (The server is shutting down)',
    });
    expect(problem['checks']).toMatchObject({
      shutdown: { status: 'down', message: 'The server is shutting down' },
    });
    await closing;
    await stream.finished;
    expect(stream.events.at(-1)).toMatchObject({ type: 'error', data: { code: 'interrupted' } });
  });
});

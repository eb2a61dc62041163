import { Client } from 'pg';
import { expectProblem } from '../problem-details';
import { itWithServer } from '../store/postgres-test-database';
import { createTestStore } from '../store/test-store';
import { startTestApp, type TestApp } from '../test-app';
import { HealthController } from '../../src/health/health.controller';
import { RunStore } from '../../src/store/run-store';

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
      expect(await response.json()).toMatchObject({
        status: 'ok',
        info: { shutdown: { status: 'up' }, store: { status: 'up' } },
      });
    });
  });

  it('answers 503 naming the store check once the embedded store cannot answer', async () => {
    const api = await startTestApp();
    await api.app.get(RunStore).close();

    const ready = await api.request('/api/health/ready', { as: 'anonymous' });

    await expectProblem(ready, {
      status: 503,
      instance: '/api/health/ready',
      detail: 'Not ready: store (database is not open)',
    });
    await api.close();
  });

  itWithServer(
    'answers 503 naming the store check once its PostgreSQL database refuses connections',
    async () => {
      const store = await createTestStore('postgres');
      const api = await startTestApp(store.env);
      const database = new URL(store.env['DATABASE_URL']).pathname.slice(1);
      // Only this test's own database: the server is shared.
      const server = new Client({ connectionString: process.env.DATABASE_URL });
      await server.connect();
      try {
        await server.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS false`);
        let left: number;
        do {
          const { rows } = await server.query<{ left: number }>(
            'SELECT count(pg_terminate_backend(pid))::int AS left FROM pg_stat_activity WHERE datname = $1',
            [database],
          );
          left = rows[0].left;
        } while (left > 0);

        const ready = await api.request('/api/health/ready', { as: 'anonymous' });

        const problem = await expectProblem(ready, {
          status: 503,
          instance: '/api/health/ready',
          detail: expect.stringMatching(/^Not ready: store \(/),
        });
        expect(problem['checks']).toMatchObject({ shutdown: { status: 'up' }, store: { status: 'down' } });
      } finally {
        await server.end();
        await api.close();
        await store.remove();
      }
    },
  );

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

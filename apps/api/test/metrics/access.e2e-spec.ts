import { parsePrometheusText, sampleValue } from './prometheus-text';
import { startTestApp, type TestApp } from '../test-app';
import { SESSION_COOKIE } from '../../src/auth/session-cookies';
import { loadConfig } from '../../src/config/load-config';
import { MetricsController } from '../../src/metrics/metrics.controller';

const METRICS_TOKEN = 'metrics-spec-token-0123456789abcdefghij';

/** Series that `collectDefaultMetrics` adds: the process's and Node's own. */
const DEFAULT_SERIES = [
  'process_cpu_user_seconds_total',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_eventloop_lag_seconds',
];

describe(MetricsController.name, () => {
  const scrape = (api: TestApp, headers: Record<string, string>) =>
    api.request('/api/metrics', { as: 'anonymous', headers });

  describe('with METRICS_TOKEN set', () => {
    let api: TestApp;

    beforeAll(async () => (api = await startTestApp({ METRICS_TOKEN })));
    afterAll(() => api.close());

    it('refuses a caller who is neither signed in nor sends the token with 401', async () => {
      const response = await scrape(api, {});

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ statusCode: 401 });
    });

    it.each([
      ['another token of the same length', `${METRICS_TOKEN.slice(0, -1)}k`],
      ['the token and more', `${METRICS_TOKEN}0`],
      ['a prefix of the token', METRICS_TOKEN.slice(0, 16)],
    ])('refuses %s with 401 and no metrics', async (_, token) => {
      const response = await scrape(api, { authorization: `Bearer ${token}` });

      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('issuecast_');
    });

    it('answers the scraper’s token with the Prometheus text format: the default process and Node series and the issuecast_ ones', async () => {
      const response = await scrape(api, { authorization: `Bearer ${METRICS_TOKEN}` });
      const samples = parsePrometheusText(await response.text());

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      for (const name of DEFAULT_SERIES) expect(samples.map((sample) => sample.name)).toContain(name);
      expect(sampleValue(samples, 'issuecast_runs_started_total')).toBe(0);
      expect(sampleValue(samples, 'issuecast_open_streams')).toBe(0);
    });

    it.each([
      [
        'the session cookie, as the browser sends it',
        (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}` }),
      ],
      ['a bearer session token', (token: string) => ({ authorization: `Bearer ${token}` })],
    ])('answers a user signed in with %s', async (_, credentials) => {
      const response = await scrape(api, credentials(api.tokens.bob));

      expect(response.status).toBe(200);
      expect(parsePrometheusText(await response.text()).map((sample) => sample.name)).toContain(
        'issuecast_runs_started_total',
      );
    });

    it('is not rate-limited: a scraper may read it as often as it likes', async () => {
      const limited = await startTestApp({
        METRICS_TOKEN,
        RATE_LIMIT_LOGINS: '2',
        RATE_LIMIT_RUN_STARTS: '1',
        RATE_LIMIT_STREAM_CONNECTS: '1',
      });
      try {
        const statuses: number[] = [];
        for (let scrapes = 0; scrapes < 5; scrapes++) {
          const response = await scrape(limited, { authorization: `Bearer ${METRICS_TOKEN}` });
          statuses.push(response.status);
          await response.body?.cancel();
        }
        expect(statuses).toEqual([200, 200, 200, 200, 200]);
      } finally {
        await limited.close();
      }
    });
  });

  it('refuses to start with a METRICS_TOKEN shorter than 32 characters, naming it without showing it', () => {
    const weak = 'metrics-token-too-short';

    expect(() => loadConfig({ METRICS_TOKEN: weak })).toThrow(
      'METRICS_TOKEN=(hidden): must be at least 32 characters',
    );
    expect(() => loadConfig({ METRICS_TOKEN: weak })).not.toThrow(weak);
  });

  describe('without METRICS_TOKEN', () => {
    let api: TestApp;

    beforeAll(async () => (api = await startTestApp()));
    afterAll(() => api.close());

    it.each([
      ['no credentials', {}],
      ['an empty bearer token', { authorization: 'Bearer ' }],
      ['a made-up bearer token', { authorization: `Bearer ${METRICS_TOKEN}` }],
    ])('refuses %s with 401: metrics are never open to anyone', async (_, headers) => {
      const response = await scrape(api, headers);

      expect(response.status).toBe(401);
      await response.body?.cancel();
    });

    it('answers a signed-in user', async () => {
      const response = await api.request('/api/metrics');

      expect(response.status).toBe(200);
      expect(await response.text()).toContain('issuecast_runs_started_total');
    });
  });
});

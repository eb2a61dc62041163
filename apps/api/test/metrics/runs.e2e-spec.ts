import { WORKFLOW_EVENT_TYPES, type WorkflowEvent } from '@issuecast/workflow-events';
import { randomUUID } from 'node:crypto';
import { type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../fake-openai-server';
import { type Sample, sampleValue } from './prometheus-text';
import { scrapeMetrics } from './scrape-metrics';
import { startTestApp, type TestApp } from '../test-app';
import type { WorkflowStartedDto } from '../../src/workflows/dto/workflow-started.dto';
import { RunMetrics } from '../../src/metrics/run-metrics';

const METRICS_TOKEN = 'run-metrics-spec-token-0123456789abcdef';
const PASTED = {
  issue: { title: 'Crash on save', body: 'Saving a draft throws TypeError: x is undefined.' },
};

async function startRun(api: TestApp): Promise<WorkflowStartedDto> {
  const response = await api.request('/api/workflows/comment-on-issue', { method: 'POST', body: PASTED });
  expect(response.status).toBe(202);
  return (await response.json()) as WorkflowStartedDto;
}

const countOf = (events: WorkflowEvent[], type: WorkflowEvent['type']) =>
  events.filter((event) => event.type === type).length;

describe(RunMetrics.name, () => {
  describe('a run with the offline drafter, streamed to its end', () => {
    let api: TestApp;
    let events: WorkflowEvent[];
    let samples: Sample[];

    beforeAll(async () => {
      api = await startTestApp({ METRICS_TOKEN });
      const { eventsUrl } = await startRun(api);
      events = (await api.readSse(eventsUrl)).events;
      samples = await scrapeMetrics(api, METRICS_TOKEN);
    });
    afterAll(() => api.close());

    it('counts one run started and one finished as completed, with its duration', () => {
      expect(events.at(-1)?.type).toBe('complete');
      expect(sampleValue(samples, 'issuecast_runs_started_total')).toBe(1);
      expect(sampleValue(samples, 'issuecast_runs_finished_total', { outcome: 'completed' })).toBe(1);
      expect(sampleValue(samples, 'issuecast_run_duration_seconds_count', { outcome: 'completed' })).toBe(1);
    });

    it('counts the run’s events by type, exactly as the client received them', () => {
      for (const type of WORKFLOW_EVENT_TYPES) {
        const received = countOf(events, type);
        expect({ type, counted: sampleValue(samples, 'issuecast_events_total', { type }) }).toEqual({
          type,
          counted: received === 0 ? undefined : received,
        });
      }
    });

    it('counts the model’s deltas and its tokens (none offline), and times its first one once', () => {
      expect(countOf(events, 'llm_response')).toBeGreaterThan(1);
      expect(sampleValue(samples, 'issuecast_llm_deltas_total')).toBe(countOf(events, 'llm_response'));
      for (const kind of ['prompt', 'completion']) {
        expect(sampleValue(samples, 'issuecast_llm_tokens_total', { kind, model: 'offline' })).toBe(0);
      }
      expect(sampleValue(samples, 'issuecast_llm_time_to_first_token_seconds_count')).toBe(1);
      expect(sampleValue(samples, 'issuecast_llm_time_to_first_token_seconds_sum')).toBeLessThanOrEqual(
        sampleValue(samples, 'issuecast_run_duration_seconds_sum', { outcome: 'completed' }) ?? 0,
      );
    });

    it('counts the stream as ended by the server, and none left open', () => {
      expect(
        sampleValue(samples, 'issuecast_stream_connections_total', { outcome: 'ended', status: '200' }),
      ).toBe(1);
      expect(sampleValue(samples, 'issuecast_open_streams')).toBe(0);
    });
  });

  describe('runs that the model keeps going', () => {
    let openai: FakeOpenAi;
    let api: TestApp;

    beforeAll(async () => {
      // One token, then nothing: the run stays running until it is cancelled.
      openai = await startFakeOpenAi({ fallback: streamAnswer(['Looking into it'], { end: 'stall' }) });
      api = await startTestApp({
        METRICS_TOKEN,
        ...openai.appEnv,
      });
    });
    afterAll(async () => {
      await api.close();
      await openai.close();
    });

    const scrape = () => scrapeMetrics(api, METRICS_TOKEN);
    const openStreams = async () => sampleValue(await scrape(), 'issuecast_open_streams');

    it('shows a stream as open while it is, and as disconnected once its client has left', async () => {
      const { eventsUrl, workflowId } = await startRun(api);
      const session = await api.openSse(eventsUrl);
      await session.waitFor((event) => event.type === 'llm_response');

      expect(await openStreams()).toBe(1);

      session.abort();
      // The server learns of the client leaving when its socket closes, a moment later.
      while ((await openStreams()) !== 0);
      const samples = await scrape();
      await api.request(`/api/workflows/${workflowId}/cancel`, { method: 'POST' });

      expect(
        sampleValue(samples, 'issuecast_stream_connections_total', {
          outcome: 'disconnected',
          status: '200',
        }),
      ).toBe(1);
      expect(sampleValue(samples, 'issuecast_llm_time_to_first_token_seconds_count')).toBe(1);
    });

    it('counts a cancelled run as finished cancelled, with its error code', async () => {
      const before = await scrape();
      const { workflowId } = await startRun(api);
      await api.request(`/api/workflows/${workflowId}/cancel`, { method: 'POST' });
      const after = await scrape();
      const finishedCancelled = (samples: Sample[]) =>
        sampleValue(samples, 'issuecast_runs_finished_total', { outcome: 'cancelled', code: 'cancelled' }) ??
        0;

      expect(finishedCancelled(after) - finishedCancelled(before)).toBe(1);
      expect(
        (sampleValue(after, 'issuecast_runs_started_total') ?? 0) -
          (sampleValue(before, 'issuecast_runs_started_total') ?? 0),
      ).toBe(1);
    });

    it('counts connections refused before a stream starts, by status', async () => {
      const { eventsUrl } = await startRun(api);
      await api.openSse(`/api/workflows/${randomUUID()}/events`);
      await api.openSse(eventsUrl, {}, 'anonymous');
      await api.openSse(eventsUrl, {}, 'bob');
      const samples = await scrape();

      expect(
        sampleValue(samples, 'issuecast_stream_connections_total', { outcome: 'refused', status: '404' }),
      ).toBe(2);
      expect(
        sampleValue(samples, 'issuecast_stream_connections_total', { outcome: 'refused', status: '401' }),
      ).toBe(1);
      expect(await openStreams()).toBe(0);
    });
  });
});

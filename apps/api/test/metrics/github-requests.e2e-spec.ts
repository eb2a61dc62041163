import type { WorkflowEvent } from '@issuecast/workflow-events';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github-server';
import { sampleValue } from './prometheus-text';
import { scrapeMetrics } from './scrape-metrics';
import { startTestApp, type TestApp } from '../test-app';
import type { WorkflowStartedDto } from '../../src/workflows/dto/workflow-started.dto';
import { GitHubRequestMetrics } from '../../src/metrics/github-request-metrics';

const METRICS_TOKEN = 'github-metrics-spec-token-0123456789abc';
const REPOSITORY = 'acme/widgets';

describe(GitHubRequestMetrics.name, () => {
  let github: FakeGitHub;
  let api: TestApp;

  beforeAll(async () => {
    github = await startFakeGitHub();
    github.addIssue(REPOSITORY, { number: 1, title: 'Crash on save', body: 'It throws.' });
    github.addIssue(REPOSITORY, { number: 2, title: 'Slow export', body: 'It takes a minute.' });
    api = await startTestApp({
      METRICS_TOKEN,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_MAX_RETRIES: '1',
      GITHUB_RETRY_DELAY_MS: '1',
      GITHUB_TIMEOUT_MS: '2000',
    });
  });
  afterAll(async () => {
    await api.close();
    await github.close();
  });

  async function runOn(issueNumber: number): Promise<WorkflowEvent | undefined> {
    const response = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: { repository: REPOSITORY, issueNumber },
    });
    const { eventsUrl } = (await response.json()) as WorkflowStartedDto;
    return (await api.readSse(eventsUrl)).events.at(-1);
  }

  it('counts every request a run makes to GitHub by status, each retry included, and the run’s outcome with its code', async () => {
    github.failNext(`/repos/${REPOSITORY}/issues/2`, { status: 502 });

    const read = await runOn(1);
    const retried = await runOn(2);
    const missing = await runOn(404);
    const samples = await scrapeMetrics(api, METRICS_TOKEN);

    expect([read?.type, retried?.type, missing?.type]).toEqual(['complete', 'complete', 'error']);
    expect(sampleValue(samples, 'issuecast_github_requests_total', { status: '200' })).toBe(2);
    expect(sampleValue(samples, 'issuecast_github_requests_total', { status: '502' })).toBe(1);
    expect(sampleValue(samples, 'issuecast_github_requests_total', { status: '404' })).toBe(1);
    expect(sampleValue(samples, 'issuecast_runs_finished_total', { outcome: 'completed' })).toBe(2);
    expect(
      sampleValue(samples, 'issuecast_runs_finished_total', { outcome: 'failed', code: 'github_failed' }),
    ).toBe(1);
  });

  it('counts a request that got no answer as no_answer', async () => {
    github.failNext(`/repos/${REPOSITORY}/issues/1`, { stall: true });

    const last = await runOn(1);
    // The run ends on the time limit; the abandoned request reports itself a moment later.
    let noAnswer: number | undefined;
    while (noAnswer === undefined) {
      const samples = await scrapeMetrics(api, METRICS_TOKEN);
      noAnswer = sampleValue(samples, 'issuecast_github_requests_total', { status: 'no_answer' });
    }

    expect(last).toMatchObject({ type: 'error', data: { code: 'github_failed' } });
    expect(noAnswer).toBe(1);
  });
});

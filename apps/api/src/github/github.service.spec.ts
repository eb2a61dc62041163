import { Logger } from '@nestjs/common';
import { inspect } from 'node:util';
import { startFakeGitHub, type FakeGitHub } from '../../test/fake-github-server';
import { AppConfig } from '../config/app-config';
import { RunFailure } from '../workflows/run-failure';
import { GitHubService } from './github.service';

const TOKEN = 'ghp_s3cretTokenThatMustNeverLeak0000000000';
const ISSUE_PATH = '/repos/acme/widgets/issues/7';

function serviceFor(apiUrl: string, config: Partial<AppConfig> = {}) {
  return new GitHubService(
    Object.assign(new AppConfig(), { githubApiUrl: apiUrl, githubToken: TOKEN, ...config }),
  );
}

function fetchIssue7(service: GitHubService, signal = new AbortController().signal) {
  return service.getIssue('acme/widgets', 7, signal);
}

/** The `RunFailure` a call rejected with, after checking that nothing in it (causes included) shows the token. */
async function failureOf(call: Promise<unknown>): Promise<RunFailure> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RunFailure);
  expect(inspect(error, { depth: Infinity })).not.toContain(TOKEN);
  return error as RunFailure;
}

describe(GitHubService.name, () => {
  let github: FakeGitHub;
  let logged: jest.SpyInstance[];

  beforeEach(async () => {
    github = await startFakeGitHub({ token: TOKEN });
    logged = (['log', 'warn', 'error', 'debug'] as const).map((level) =>
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined),
    );
  });

  afterEach(async () => {
    for (const spy of logged) {
      expect(inspect(spy.mock.calls, { depth: Infinity })).not.toContain(TOKEN);
      spy.mockRestore();
    }
    await github.close();
  });

  it('returns the issue with every field mapped and sends the configured token', async () => {
    const served = github.addIssue('acme/widgets', {
      number: 7,
      title: 'Crash when saving',
      body: 'Steps: click Save.',
      author: 'alice',
      labels: ['bug', 'needs triage'],
    });

    await expect(fetchIssue7(serviceFor(github.apiUrl))).resolves.toEqual({
      title: 'Crash when saving',
      body: 'Steps: click Save.',
      repository: 'acme/widgets',
      number: 7,
      url: served.html_url,
      author: 'alice',
      labels: ['bug', 'needs triage'],
    });
    const [request] = github.requests;
    expect(request).toMatchObject({ method: 'GET', path: ISSUE_PATH });
    expect(request.headers.authorization).toMatch(new RegExp(`^(token|bearer) ${TOKEN}$`, 'i'));
    expect(request.headers['user-agent']).toMatch(/^issuecast/);
  });

  it('fetches a pull request through the issues API and turns a null body into empty text', async () => {
    const served = github.addIssue('acme/widgets', {
      number: 7,
      title: 'Add dark mode',
      body: null,
      pullRequest: true,
    });

    const issue = await fetchIssue7(serviceFor(github.apiUrl));

    expect(issue).toMatchObject({ title: 'Add dark mode', body: '', url: served.html_url, labels: [] });
    expect(issue.url).toContain('/pull/7');
  });

  it('sends no Authorization header when no token is configured', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Public issue' });

    await expect(fetchIssue7(serviceFor(github.apiUrl, { githubToken: undefined }))).resolves.toMatchObject({
      title: 'Public issue',
    });
    expect(github.requests[0].headers.authorization).toBeUndefined();
  });

  it('works against a GitHub Enterprise base URL with a path prefix', async () => {
    const enterprise = await startFakeGitHub({ pathPrefix: '/api/v3', token: TOKEN });
    try {
      enterprise.addIssue('acme/widgets', { number: 7, title: 'On Enterprise' });

      await expect(fetchIssue7(serviceFor(`${enterprise.apiUrl}/`))).resolves.toMatchObject({
        title: 'On Enterprise',
      });
      expect(enterprise.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
      expect(enterprise.requests[0].url).toBe(`/api/v3${ISSUE_PATH}`);
    } finally {
      await enterprise.close();
    }
  });

  it('reports a missing issue as not found or not visible to the token, not retryable', async () => {
    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toContain('acme/widgets#7');
    expect(failure.message).toMatch(/not found.*not visible to the configured token/);
  });

  it('reports a rejected token without showing it, not retryable', async () => {
    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl, { githubToken: 'ghp_wrong' })));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/rejected the configured token.*acme\/widgets#7/);
    expect(failure.message).not.toContain('ghp_wrong');
  });

  it('reports a plain 403 as refused access, not retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 403 });

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/refused access to acme\/widgets#7/);
  });

  it('reports a spent rate limit as retryable with the time it resets', async () => {
    github.failNext(ISSUE_PATH, {
      status: 403,
      message: 'API rate limit exceeded for user ID 1.',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.UTC(2030, 0, 1) / 1000) },
    });

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/rate limit.*acme\/widgets#7.*resets at 2030-01-01T00:00:00Z/);
  });

  it('reports a 429 with retry-after as rate limited and retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 429, headers: { 'retry-after': '60' } });

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/rate limit.*resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  it('reports a 410 as a deleted issue or disabled issues, not retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 410 });

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/acme\/widgets#7 is gone.*deleted.*issues are disabled/);
  });

  it('reports a server error as GitHub being unreachable, retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 502, message: 'Server Error' });

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/could not be reached.*acme\/widgets#7/);
  });

  it('reports a refused connection as GitHub being unreachable, retryable', async () => {
    const gone = await startFakeGitHub();
    await gone.close();

    const failure = await failureOf(fetchIssue7(serviceFor(gone.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/could not be reached.*acme\/widgets#7/);
  });

  it('gives up on a request GitHub never answers, retryable', async () => {
    github.failNext(ISSUE_PATH, { stall: true });

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl, { githubTimeoutMs: 50 })));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/did not answer.*acme\/widgets#7/);
  });

  it('rethrows the abort reason when the signal aborts mid-request', async () => {
    github.failNext(ISSUE_PATH, { stall: true });
    const controller = new AbortController();
    const reason = new Error('run cancelled');

    const call = fetchIssue7(serviceFor(github.apiUrl), controller.signal);
    await github.whenRequested(ISSUE_PATH);
    controller.abort(reason);

    await expect(call).rejects.toBe(reason);
  });

  it('refuses a repository that is not owner/name without asking GitHub', async () => {
    const failure = await failureOf(
      serviceFor(github.apiUrl).getIssue('widgets', 7, new AbortController().signal),
    );

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(github.requests).toHaveLength(0);
  });
});

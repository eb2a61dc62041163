import { type FakeGitHub, startFakeGitHub } from '../../test/fake-github/fake-github-server';
import { clientFor, expectNoTokenInLogs, failureOf, TOKEN } from '../../test/github-spec-setup';
import { GitHubClient } from './github-client';

const ISSUE_PATH = '/repos/acme/widgets/issues/7';
const CONTEXT = {
  repository: 'acme/widgets',
  action: 'fetching acme/widgets#7',
  subject: 'acme/widgets#7',
  permission: 'Issues: read',
};

function fetchIssue7(client: GitHubClient, signal = new AbortController().signal) {
  return client.call(CONTEXT, signal, (octokit, request) =>
    octokit.rest.issues.get({ owner: 'acme', repo: 'widgets', issue_number: 7, request }),
  );
}

describe(GitHubClient.name, () => {
  let github: FakeGitHub;

  expectNoTokenInLogs();

  beforeEach(async () => {
    github = await startFakeGitHub({ token: TOKEN });
  });

  afterEach(async () => {
    await github.close();
  });

  it('sends the configured token and its user agent', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Crash when saving' });

    await expect(fetchIssue7(clientFor(github.apiUrl))).resolves.toMatchObject({
      data: { title: 'Crash when saving' },
    });
    const [request] = github.requests;
    expect(request).toMatchObject({ method: 'GET', path: ISSUE_PATH });
    expect(request.headers.authorization).toMatch(new RegExp(`^(token|bearer) ${TOKEN}$`, 'i'));
    expect(request.headers['user-agent']).toMatch(/^issuecast/);
  });

  it('sends no Authorization header when no token is configured', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Public issue' });

    await expect(fetchIssue7(clientFor(github.apiUrl, { token: undefined }))).resolves.toMatchObject({
      data: { title: 'Public issue' },
    });
    expect(github.requests[0].headers.authorization).toBeUndefined();
  });

  it('works against a GitHub Enterprise base URL with a path prefix', async () => {
    const enterprise = await startFakeGitHub({ pathPrefix: '/api/v3', token: TOKEN });
    try {
      enterprise.addIssue('acme/widgets', { number: 7, title: 'On Enterprise' });

      await expect(fetchIssue7(clientFor(`${enterprise.apiUrl}/`))).resolves.toMatchObject({
        data: { title: 'On Enterprise' },
      });
      expect(enterprise.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
      expect(enterprise.requests[0].url).toBe(`/api/v3${ISSUE_PATH}`);
    } finally {
      await enterprise.close();
    }
  });

  it('reports a missing issue as not found or not visible to the token, not retryable', async () => {
    const failure = await failureOf(fetchIssue7(clientFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toContain('acme/widgets#7');
    expect(failure.message).toMatch(/not found.*not visible to the configured token/);
  });

  it('reports a rejected token without showing it, not retryable', async () => {
    const failure = await failureOf(fetchIssue7(clientFor(github.apiUrl, { token: 'ghp_wrong' })));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/rejected the configured token.*acme\/widgets#7/);
    expect(failure.message).not.toContain('ghp_wrong');
  });

  it('reports a plain 403 as refused access with what GitHub said, not retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 403, message: 'Repository access blocked' });

    const failure = await failureOf(fetchIssue7(clientFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/refused access to acme\/widgets#7.*Repository access blocked/);
    expect(github.requests).toHaveLength(1);
  });

  it('reports a 403 "not accessible by integration" as the app lacking the permission, not retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 403, message: 'Resource not accessible by integration' });

    const failure = await failureOf(fetchIssue7(clientFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/GitHub App .* "Issues: read" permission.*not accessible by integration/);
    expect(github.requests).toHaveLength(1);
  });

  it('reports a spent rate limit as retryable with the time it resets', async () => {
    github.failNext(ISSUE_PATH, {
      status: 403,
      message: 'API rate limit exceeded for user ID 1.',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.UTC(2030, 0, 1) / 1000) },
    });

    const failure = await failureOf(fetchIssue7(clientFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/rate limit.*acme\/widgets#7.*resets at 2030-01-01T00:00:00Z/);
  });

  it('reports a 429 with retry-after as rate limited and retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 429, headers: { 'retry-after': '60' } });

    const failure = await failureOf(fetchIssue7(clientFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/rate limit.*resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  it('waits out a secondary rate limit of a second and answers what the retry got', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Worth the wait' });
    github.failNext(ISSUE_PATH, {
      status: 403,
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      headers: { 'retry-after': '1' },
    });

    await expect(fetchIssue7(clientFor(github.apiUrl))).resolves.toMatchObject({
      data: { title: 'Worth the wait' },
    });
    expect(github.requests.filter((request) => request.path === ISSUE_PATH)).toHaveLength(2);
  });

  it('reports a 410 as a deleted issue or disabled issues, not retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 410 });

    const failure = await failureOf(fetchIssue7(clientFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/acme\/widgets#7 is gone.*deleted.*issues are disabled/);
  });

  it('reports a server error that outlasts the retries as GitHub being unreachable, retryable', async () => {
    for (let attempt = 0; attempt < 3; attempt++)
      github.failNext(ISSUE_PATH, { status: 502, message: 'Server Error' });

    const failure = await failureOf(fetchIssue7(clientFor(github.apiUrl, { maxRetries: 2 })));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/could not be reached.*acme\/widgets#7/);
    expect(github.requests.filter((request) => request.path === ISSUE_PATH)).toHaveLength(3);
  });

  it('retries a read that failed with a server error, and returns what the retry got', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Flaky' });
    github.failNext(ISSUE_PATH, { status: 503 });

    await expect(fetchIssue7(clientFor(github.apiUrl))).resolves.toMatchObject({ data: { title: 'Flaky' } });
    expect(github.requests.filter((request) => request.path === ISSUE_PATH)).toHaveLength(2);
  });

  it('reports a refused connection as GitHub being unreachable, retryable', async () => {
    const gone = await startFakeGitHub();
    await gone.close();

    const failure = await failureOf(fetchIssue7(clientFor(gone.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/could not be reached.*acme\/widgets#7/);
  });

  it('gives up on a request GitHub never answers, retryable', async () => {
    github.failNext(ISSUE_PATH, { stall: true });

    const failure = await failureOf(fetchIssue7(clientFor(github.apiUrl, { timeoutMs: 50 })));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/did not answer.*acme\/widgets#7/);
  });

  it('rethrows the abort reason when the signal aborts mid-request', async () => {
    github.failNext(ISSUE_PATH, { stall: true });
    const controller = new AbortController();
    const reason = new Error('run cancelled');

    const call = fetchIssue7(clientFor(github.apiUrl), controller.signal);
    await github.whenRequested(ISSUE_PATH);
    controller.abort(reason);

    await expect(call).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(github.requests).toHaveLength(1);
  });
});

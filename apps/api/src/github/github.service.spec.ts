import { Logger } from '@nestjs/common';
import { inspect } from 'node:util';
import { rateLimitAnswer, startFakeGitHub, type FakeGitHub } from '../../test/fake-github-server';
import type { GitHubConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { RunFailure } from '../run-failure/run-failure';
import { GitHubFailure } from './github-failure';
import { GitHubService, RECENT_COMMENTS } from './github.service';

const TOKEN = 'ghp_s3cretTokenThatMustNeverLeak0000000000';
const ISSUE_PATH = '/repos/acme/widgets/issues/7';
const COMMENTS_PATH = `${ISSUE_PATH}/comments`;
const MARKER = '<!-- issuecast:run=5b0c7a47-3c4e-4c1e-9a39-0f5f3a3c8e11 -->';

function serviceFor(apiUrl: string, config: Partial<GitHubConfig> = {}) {
  return new GitHubService({
    ...loadConfig({}).github,
    apiUrl,
    token: TOKEN,
    // Retries stay on, but waits are short.
    retryDelayMs: 1,
    ...config,
  });
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
      comments: [],
      commentCount: 0,
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

  it.each(['owner/..', 'owner/.', '../name', 'owner/name/..', 'owner%2F..'])(
    'refuses the repository %s without sending GitHub any request, on every call',
    async (repository) => {
      const service = serviceFor(github.apiUrl);
      const signal = new AbortController().signal;

      const calls = [
        service.getIssue(repository, 1, signal),
        service.postComment(repository, 1, 'Hello', MARKER, signal),
        service.defaultBranch(repository, signal),
        service.fileTree(repository, 'main', signal),
        service.contentAt(repository, 'README.md', 'main', signal),
        service.searchCode(repository, 'TODO', 5, signal),
      ];

      for (const call of calls) expect((await failureOf(call)).message).toContain('is not');
      expect(github.requests).toEqual([]);
    },
  );

  it('sends no Authorization header when no token is configured', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Public issue' });

    await expect(fetchIssue7(serviceFor(github.apiUrl, { token: undefined }))).resolves.toMatchObject({
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
    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl, { token: 'ghp_wrong' })));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/rejected the configured token.*acme\/widgets#7/);
    expect(failure.message).not.toContain('ghp_wrong');
  });

  it('reports a plain 403 as refused access with what GitHub said, not retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 403, message: 'Repository access blocked' });

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/refused access to acme\/widgets#7.*Repository access blocked/);
    expect(github.requests).toHaveLength(1);
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

  it('reports a server error that outlasts the retries as GitHub being unreachable, retryable', async () => {
    for (let attempt = 0; attempt < 3; attempt++)
      github.failNext(ISSUE_PATH, { status: 502, message: 'Server Error' });

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl, { maxRetries: 2 })));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
    expect(failure.message).toMatch(/could not be reached.*acme\/widgets#7/);
    expect(github.requests.filter((request) => request.path === ISSUE_PATH)).toHaveLength(3);
  });

  it('retries a read that failed with a server error, and returns what the retry got', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Flaky' });
    github.failNext(ISSUE_PATH, { status: 503 });

    await expect(fetchIssue7(serviceFor(github.apiUrl))).resolves.toMatchObject({ title: 'Flaky' });
    expect(github.requests.filter((request) => request.path === ISSUE_PATH)).toHaveLength(2);
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

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl, { timeoutMs: 50 })));

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
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(github.requests).toHaveLength(1);
  });

  it('refuses a repository that is not owner/name without asking GitHub', async () => {
    const failure = await failureOf(
      serviceFor(github.apiUrl).getIssue('widgets', 7, new AbortController().signal),
    );

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(github.requests).toHaveLength(0);
  });

  it('fetches the most recent comments, oldest first, from the last pages', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Busy issue' });
    for (let index = 1; index <= 25; index++) {
      github.addComment('acme/widgets', 7, { body: `comment ${index}`, author: `user${index}` });
    }

    const issue = await fetchIssue7(serviceFor(github.apiUrl));

    expect(issue.commentCount).toBe(25);
    expect(issue.comments?.map((comment) => comment.body)).toEqual(
      Array.from({ length: RECENT_COMMENTS }, (_, index) => `comment ${index + 16}`),
    );
    expect(issue.comments?.[0]).toMatchObject({ author: 'user16', createdAt: expect.any(String) });
    const pages = github.requests
      .filter((request) => request.path === COMMENTS_PATH)
      .map((request) => request.query.get('page'));
    expect(pages).toEqual(['2', '3']);
  });

  it('reports a 403 "not accessible by integration" as the app lacking the permission, not retryable', async () => {
    github.failNext(ISSUE_PATH, { status: 403, message: 'Resource not accessible by integration' });

    const failure = await failureOf(fetchIssue7(serviceFor(github.apiUrl)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/GitHub App .* "Issues: read" permission.*not accessible by integration/);
    expect(github.requests).toHaveLength(1);
  });

  it('waits out a secondary rate limit of a second and answers what the retry got', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Worth the wait' });
    github.failNext(ISSUE_PATH, {
      status: 403,
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      headers: { 'retry-after': '1' },
    });

    await expect(fetchIssue7(serviceFor(github.apiUrl))).resolves.toMatchObject({ title: 'Worth the wait' });
    expect(github.requests.filter((request) => request.path === ISSUE_PATH)).toHaveLength(2);
  });

  describe('postComment', () => {
    function post(
      service: GitHubService,
      body = 'The fix is in src/app.ts.',
      signal = new AbortController().signal,
    ) {
      return service.postComment('acme/widgets', 7, body, MARKER, signal);
    }

    const creates = () => github.requests.filter((request) => request.method === 'POST');

    beforeEach(() => {
      github.addIssue('acme/widgets', { number: 7, title: 'Crash when saving' });
    });

    it('creates the comment with the marker at its end and answers its html_url', async () => {
      const url = await post(serviceFor(github.apiUrl));

      const comments = github.commentsOf('acme/widgets', 7);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toBe(`The fix is in src/app.ts.\n\n${MARKER}`);
      expect(url).toBe(comments[0].html_url);
      expect(url).toMatch(/^https:\/\/github\.com\/acme\/widgets\/issues\/7#issuecomment-\d+$/);
      expect(creates()[0].headers.authorization).toMatch(new RegExp(`^(token|bearer) ${TOKEN}$`, 'i'));
    });

    it('creates nothing when asked twice, and answers the same URL', async () => {
      const service = serviceFor(github.apiUrl);

      const first = await post(service);
      const second = await post(service, 'A different text this time.');

      expect(second).toBe(first);
      expect(github.commentsOf('acme/widgets', 7)).toHaveLength(1);
      expect(creates()).toHaveLength(1);
    });

    it('finds a comment posted by another process, searching the newest page first', async () => {
      for (let index = 0; index < 250; index++)
        github.addComment('acme/widgets', 7, { body: `noise ${index}` });
      const earlier = github.addComment('acme/widgets', 7, { body: `Posted before.\n\n${MARKER}\n` });

      const url = await post(serviceFor(github.apiUrl));

      expect(url).toBe(earlier.html_url);
      expect(creates()).toHaveLength(0);
      const pages = github.requests
        .filter((request) => request.path === COMMENTS_PATH)
        .map((request) => request.query.get('page'));
      expect(pages).toEqual(['1', '3']);
    });

    it('does not take a marker quoted inside another comment for its own', async () => {
      github.addComment('acme/widgets', 7, { body: `Look: ${MARKER} is what Issuecast leaves.` });

      await post(serviceFor(github.apiUrl));

      expect(creates()).toHaveLength(1);
    });

    it('leaves one comment when the create times out after GitHub made it', async () => {
      github.failNext(COMMENTS_PATH, { stallAfterHandling: true, method: 'POST' });

      const url = await post(serviceFor(github.apiUrl, { timeoutMs: 300 }));

      const comments = github.commentsOf('acme/widgets', 7);
      expect(comments).toHaveLength(1);
      expect(url).toBe(comments[0].html_url);
      expect(creates()).toHaveLength(1);
    });

    // The throttling plugin spaces comment creates 3 s apart, as GitHub asks of content-creating requests.
    it('creates again, once, after a server error that created nothing', async () => {
      github.failNext(COMMENTS_PATH, { status: 502, method: 'POST' });

      const url = await post(serviceFor(github.apiUrl));

      const comments = github.commentsOf('acme/widgets', 7);
      expect(comments).toHaveLength(1);
      expect(url).toBe(comments[0].html_url);
      expect(creates()).toHaveLength(2);
      const listed = github.requests.filter((request) => request.method === 'GET').length;
      expect(listed).toBe(2);
    }, 10_000);

    it('gives up, retryable, when the create fails with a server error and no retry is left', async () => {
      github.failNext(COMMENTS_PATH, { status: 500, method: 'POST' });

      const failure = await failureOf(post(serviceFor(github.apiUrl, { maxRetries: 0 })));

      expect(failure).toMatchObject({ code: 'github_failed', retryable: true });
      expect(failure.message).toMatch(/could not be reached while posting a comment on acme\/widgets#7/);
      expect(creates()).toHaveLength(1);
    });

    it.each([
      [
        401,
        { status: 401 },
        /rejected the configured token \(GITHUB_TOKEN\) while posting a comment on acme\/widgets#7/,
        false,
      ],
      [
        403,
        { status: 403, message: 'Resource not accessible by integration' },
        /refused posting a comment on acme\/widgets#7: the GitHub App .* "Issues: write" permission/,
        false,
      ],
      [
        404,
        { status: 404 },
        /acme\/widgets#7 was not found, or it is not visible to the configured token/,
        false,
      ],
      [
        410,
        { status: 410 },
        /acme\/widgets#7 is gone: it was deleted, or issues are disabled in acme\/widgets/,
        false,
      ],
      [
        422,
        {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [
              { resource: 'IssueComment', code: 'custom', field: 'body', message: 'Body is too long' },
            ],
            status: '422',
          },
        },
        /refused posting a comment on acme\/widgets#7 as invalid.*Validation Failed: Body is too long/,
        false,
      ],
    ])(
      'reports a %i on the create clearly, without retrying it',
      async (status, answer, message, retryable) => {
        github.failNext(COMMENTS_PATH, { ...answer, method: 'POST' });

        const failure = await failureOf(post(serviceFor(github.apiUrl)));

        expect(failure).toBeInstanceOf(GitHubFailure);
        expect(failure).toMatchObject({ code: 'github_failed', retryable, status });
        expect(failure.message).toMatch(message);
        expect(creates()).toHaveLength(1);
        expect(github.commentsOf('acme/widgets', 7)).toHaveLength(0);
      },
    );

    it('reports a spent rate limit on the create with its reset time, without waiting for it', async () => {
      github.failNext(COMMENTS_PATH, rateLimitAnswer(new Date(Date.UTC(2030, 0, 1)), 'POST'));

      const failure = (await failureOf(post(serviceFor(github.apiUrl)))) as GitHubFailure;

      expect(failure).toMatchObject({ code: 'github_failed', retryable: true, rateLimited: true });
      expect(failure.resetsAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
      expect(failure.message).toMatch(
        /rate limit .*posting a comment on acme\/widgets#7.*resets at 2030-01-01T00:00:00Z/,
      );
      expect(creates()).toHaveLength(1);
    });

    it('reports a failed search for the marker, and creates nothing', async () => {
      github.failNext(COMMENTS_PATH, {
        status: 403,
        message: 'Resource not accessible by integration',
        method: 'GET',
      });

      const failure = await failureOf(post(serviceFor(github.apiUrl)));

      expect(failure.message).toMatch(/looking for the comment already posted on acme\/widgets#7/);
      expect(creates()).toHaveLength(0);
    });

    it('refuses a comment longer than GitHub takes, without asking GitHub', async () => {
      const failure = await failureOf(post(serviceFor(github.apiUrl), 'x'.repeat(65_536)));

      expect(failure).toMatchObject({ code: 'github_failed', retryable: false, status: 422 });
      expect(failure.message).toMatch(/65,536 characters long; GitHub takes at most 65,536/);
      expect(github.requests).toHaveLength(0);
    });

    it('rethrows the abort reason when aborted while the create is unanswered, and tries nothing more', async () => {
      github.failNext(COMMENTS_PATH, { stall: true, method: 'POST' });
      const controller = new AbortController();
      const reason = new Error('run cancelled');

      const posting = post(serviceFor(github.apiUrl), undefined, controller.signal);
      await github.whenRequested(COMMENTS_PATH);
      while (creates().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort(reason);

      await expect(posting).rejects.toBe(reason);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(creates()).toHaveLength(1);
    });
  });
});

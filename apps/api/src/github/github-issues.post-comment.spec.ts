import { type FakeGitHub, rateLimitAnswer, startFakeGitHub } from '../../test/fake-github/fake-github-server';
import { clientFor, expectNoTokenInLogs, failureOf, TOKEN } from '../../test/github-spec-setup';
import { GitHubFailure } from './github-failure';
import { GitHubIssues } from './github-issues';

const COMMENTS_PATH = '/repos/acme/widgets/issues/7/comments';
const MARKER = '<!-- issuecast:run=5b0c7a47-3c4e-4c1e-9a39-0f5f3a3c8e11 -->';

describe(`${GitHubIssues.name}.postComment`, () => {
  let github: FakeGitHub;

  expectNoTokenInLogs();

  beforeEach(async () => {
    github = await startFakeGitHub({ token: TOKEN });
    github.addIssue('acme/widgets', { number: 7, title: 'Crash when saving' });
  });

  afterEach(async () => {
    await github.close();
  });

  function post(
    client = clientFor(github.apiUrl),
    body = 'The fix is in src/app.ts.',
    signal = new AbortController().signal,
  ) {
    return new GitHubIssues(client).postComment('acme/widgets', 7, body, MARKER, signal);
  }

  const creates = () => github.requests.filter((request) => request.method === 'POST');

  it('creates the comment with the marker at its end and answers its html_url', async () => {
    const url = await post();

    const comments = github.commentsOf('acme/widgets', 7);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toBe(`The fix is in src/app.ts.\n\n${MARKER}`);
    expect(url).toBe(comments[0].html_url);
    expect(url).toMatch(/^https:\/\/github\.com\/acme\/widgets\/issues\/7#issuecomment-\d+$/);
    expect(creates()[0].headers.authorization).toMatch(new RegExp(`^(token|bearer) ${TOKEN}$`, 'i'));
  });

  it('creates nothing when asked twice, and answers the same URL', async () => {
    const client = clientFor(github.apiUrl);

    const first = await post(client);
    const second = await post(client, 'A different text this time.');

    expect(second).toBe(first);
    expect(github.commentsOf('acme/widgets', 7)).toHaveLength(1);
    expect(creates()).toHaveLength(1);
  });

  it('finds a comment posted by another process, searching the newest page first', async () => {
    for (let index = 0; index < 250; index++)
      github.addComment('acme/widgets', 7, { body: `noise ${index}` });
    const earlier = github.addComment('acme/widgets', 7, { body: `Posted before.\n\n${MARKER}\n` });

    const url = await post();

    expect(url).toBe(earlier.html_url);
    expect(creates()).toHaveLength(0);
    const pages = github.requests
      .filter((request) => request.path === COMMENTS_PATH)
      .map((request) => request.query.get('page'));
    expect(pages).toEqual(['1', '3']);
  });

  it('does not take a marker quoted inside another comment for its own', async () => {
    github.addComment('acme/widgets', 7, { body: `Look: ${MARKER} is what Issuecast leaves.` });

    await post();

    expect(creates()).toHaveLength(1);
  });

  it('leaves one comment when the create times out after GitHub made it', async () => {
    github.failNext(COMMENTS_PATH, { stallAfterHandling: true, method: 'POST' });

    const url = await post(clientFor(github.apiUrl, { timeoutMs: 300 }));

    const comments = github.commentsOf('acme/widgets', 7);
    expect(comments).toHaveLength(1);
    expect(url).toBe(comments[0].html_url);
    expect(creates()).toHaveLength(1);
  });

  // The throttling plugin spaces comment creates 3 s apart, as GitHub asks of content-creating requests.
  it('creates again, once, after a server error that created nothing', async () => {
    github.failNext(COMMENTS_PATH, { status: 502, method: 'POST' });

    const url = await post();

    const comments = github.commentsOf('acme/widgets', 7);
    expect(comments).toHaveLength(1);
    expect(url).toBe(comments[0].html_url);
    expect(creates()).toHaveLength(2);
    const listed = github.requests.filter((request) => request.method === 'GET').length;
    expect(listed).toBe(2);
  }, 10_000);

  it('gives up, retryable, when the create fails with a server error and no retry is left', async () => {
    github.failNext(COMMENTS_PATH, { status: 500, method: 'POST' });

    const failure = await failureOf(post(clientFor(github.apiUrl, { maxRetries: 0 })));

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
          errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'Body is too long' }],
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

      const failure = await failureOf(post());

      expect(failure).toBeInstanceOf(GitHubFailure);
      expect(failure).toMatchObject({ code: 'github_failed', retryable, status });
      expect(failure.message).toMatch(message);
      expect(creates()).toHaveLength(1);
      expect(github.commentsOf('acme/widgets', 7)).toHaveLength(0);
    },
  );

  it('reports a spent rate limit on the create with its reset time, without waiting for it', async () => {
    github.failNext(COMMENTS_PATH, rateLimitAnswer(new Date(Date.UTC(2030, 0, 1)), 'POST'));

    const failure = (await failureOf(post())) as GitHubFailure;

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

    const failure = await failureOf(post());

    expect(failure.message).toMatch(/looking for the comment already posted on acme\/widgets#7/);
    expect(creates()).toHaveLength(0);
  });

  it('refuses a comment longer than GitHub takes, without asking GitHub', async () => {
    const failure = await failureOf(post(undefined, 'x'.repeat(65_536)));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false, status: 422 });
    expect(failure.message).toMatch(/65,536 characters long; GitHub takes at most 65,536/);
    expect(github.requests).toHaveLength(0);
  });

  it('rethrows the abort reason when aborted while the create is unanswered, and tries nothing more', async () => {
    github.failNext(COMMENTS_PATH, { stall: true, method: 'POST' });
    const controller = new AbortController();
    const reason = new Error('run cancelled');

    const posting = post(undefined, undefined, controller.signal);
    await github.whenRequested(COMMENTS_PATH);
    while (creates().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(reason);

    await expect(posting).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(creates()).toHaveLength(1);
  });
});

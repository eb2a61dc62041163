import { type FakeGitHub, startFakeGitHub } from '../../test/fake-github/fake-github-server';
import { clientFor, expectNoTokenInLogs, failureOf, TOKEN } from '../../test/github-spec-setup';
import { GitHubIssues, RECENT_COMMENTS } from './github-issues';

const COMMENTS_PATH = '/repos/acme/widgets/issues/7/comments';
const MARKER = '<!-- issuecast:run=5b0c7a47-3c4e-4c1e-9a39-0f5f3a3c8e11 -->';

describe(GitHubIssues.name, () => {
  let github: FakeGitHub;
  let issues: GitHubIssues;
  const signal = new AbortController().signal;

  expectNoTokenInLogs();

  beforeEach(async () => {
    github = await startFakeGitHub({ token: TOKEN });
    issues = new GitHubIssues(clientFor(github.apiUrl));
  });

  afterEach(async () => {
    await github.close();
  });

  it('returns the issue with every field mapped', async () => {
    const served = github.addIssue('acme/widgets', {
      number: 7,
      title: 'Crash when saving',
      body: 'Steps: click Save.',
      author: 'alice',
      labels: ['bug', 'needs triage'],
    });

    await expect(issues.getIssue('acme/widgets', 7, signal)).resolves.toEqual({
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
  });

  it('fetches a pull request through the issues API and turns a null body into empty text', async () => {
    const served = github.addIssue('acme/widgets', {
      number: 7,
      title: 'Add dark mode',
      body: null,
      pullRequest: true,
    });

    const issue = await issues.getIssue('acme/widgets', 7, signal);

    expect(issue).toMatchObject({ title: 'Add dark mode', body: '', url: served.html_url, labels: [] });
    expect(issue.url).toContain('/pull/7');
  });

  it('fetches the most recent comments, oldest first, from the last pages', async () => {
    github.addIssue('acme/widgets', { number: 7, title: 'Busy issue' });
    for (let index = 1; index <= 25; index++) {
      github.addComment('acme/widgets', 7, { body: `comment ${index}`, author: `user${index}` });
    }

    const issue = await issues.getIssue('acme/widgets', 7, signal);

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

  it('names the issue in what fails, and the permission it needs', async () => {
    github.failNext('/repos/acme/widgets/issues/7', {
      status: 403,
      message: 'Resource not accessible by integration',
    });

    const failure = await failureOf(issues.getIssue('acme/widgets', 7, signal));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(failure.message).toMatch(/refused fetching acme\/widgets#7: .* "Issues: read" permission/);
  });

  it('refuses a repository that is not owner/name without asking GitHub', async () => {
    const failure = await failureOf(issues.getIssue('widgets', 7, signal));

    expect(failure).toMatchObject({ code: 'github_failed', retryable: false });
    expect(github.requests).toHaveLength(0);
  });

  it.each(['owner/..', 'owner/.', '../name', 'owner/name/..', 'owner%2F..'])(
    'refuses the repository %s without sending GitHub any request, on every call',
    async (repository) => {
      const calls = [
        issues.getIssue(repository, 1, signal),
        issues.postComment(repository, 1, 'Hello', MARKER, signal),
      ];

      for (const call of calls) expect((await failureOf(call)).message).toContain('is not');
      expect(github.requests).toEqual([]);
    },
  );

  it.each([0, -1, 1.5])('refuses the issue number %p without asking GitHub', async (issueNumber) => {
    const failure = await failureOf(issues.getIssue('acme/widgets', issueNumber, signal));

    expect(failure.message).toBe(
      `"acme/widgets#${issueNumber}" is not an issue in the form owner/name#number.`,
    );
    expect(github.requests).toHaveLength(0);
  });
});

import type { RunPage } from '@issuecast/workflows-api';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github-server';
import { startTestApp, type TestApp } from '../test-app';

const PASTED = { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app with TypeError.' } };

describe('inputs that must not start a run', () => {
  let github: FakeGitHub;
  let api: TestApp;

  beforeAll(async () => {
    github = await startFakeGitHub();
    // What `owner/..` + issue 1 would reach if its dot segment were resolved in the URL.
    github.addIssue('repos/issues', { number: 1, title: 'Not the intended issue' });
    api = await startTestApp({ GITHUB_API_URL: github.apiUrl });
  });

  afterAll(async () => {
    await api.close();
    await github.close();
  });

  const total = async () => ((await (await api.request('/api/workflows')).json()) as RunPage).total;

  it.each([
    ['an empty body', {}, 'repository is required unless an issue is pasted'],
    [
      'a repository without an issue number',
      { repository: 'o/r' },
      'issueNumber is required with repository',
    ],
    [
      'a malformed repository',
      { repository: 'not a repo', issueNumber: 1 },
      'repository must look like owner/name',
    ],
    ['an issue number below 1', { repository: 'o/r', issueNumber: 0 }, 'issueNumber must not be less than 1'],
    [
      'an issue number that is not an integer',
      { repository: 'o/r', issueNumber: '7' },
      'issueNumber must be an integer',
    ],
    ['a pasted issue without a title', { issue: { body: 'x' } }, 'issue.title'],
    ['a pasted issue with an issue number', { ...PASTED, issueNumber: 3 }, 'issueNumber cannot be combined'],
    ['an unknown field', { ...PASTED, model: 'gpt-5' }, 'property model should not exist'],
    [
      'an unknown field in the issue',
      { issue: { title: 't', html: '<b>' } },
      'issue.property html should not exist',
    ],
    [
      'a body past the size limit',
      { issue: { title: 't', body: 'x'.repeat(65_537) } },
      'issue.body must be shorter',
    ],
    ['an issue that is an empty array', { issue: [] }, 'issue must be an object'],
    ['an issue that is an array of issues', { issue: [{ title: 'x' }] }, 'issue must be an object'],
    ['an issue that is null', { issue: null }, 'issue must be an object'],
    [
      'an issue number of null',
      { repository: 'octo/repo', issueNumber: null },
      'issueNumber must be an integer',
    ],
    ['a repository of null', { repository: null, issueNumber: 1 }, 'repository must be a string'],
    ['a title of only spaces', { issue: { title: '   ' } }, 'issue.title must not be blank'],
    ['a title of only whitespace', { issue: { title: ' \t\n ' } }, 'issue.title must not be blank'],
    [
      'a repository owner/..',
      { repository: 'owner/..', issueNumber: 1 },
      'repository must look like owner/name',
    ],
    [
      'a repository owner/.',
      { repository: 'owner/.', issueNumber: 1 },
      'repository must look like owner/name',
    ],
    [
      'a repository owner/...',
      { repository: 'owner/...', issueNumber: 1 },
      'repository must look like owner/name',
    ],
    [
      'a repository ../name',
      { repository: '../name', issueNumber: 1 },
      'repository must look like owner/name',
    ],
    ['a repository ./name', { repository: './name', issueNumber: 1 }, 'repository must look like owner/name'],
    [
      'a pasted issue with repository owner/..',
      { repository: 'owner/..', issue: { title: 'x' } },
      'repository must look like owner/name',
    ],
  ])(
    'refuses %s with 400 naming the field; nothing starts and GitHub is not asked',
    async (_case, body, message) => {
      const before = await total();
      const asked = github.requests.length;

      const response = await api.request('/api/workflows/comment-on-issue', { method: 'POST', body });
      const error = (await response.json()) as { message: string | string[] };

      expect(response.status).toBe(400);
      expect([error.message].flat().join('; ')).toContain(message);
      expect(await total()).toBe(before);
      expect(github.requests.length).toBe(asked);
    },
  );

  it('still takes a repository whose name has dots inside, and fetches exactly its issue', async () => {
    github.addIssue('octo/repo.js', { number: 3, title: 'Dots are fine' });

    const response = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: { repository: 'octo/repo.js', issueNumber: 3 },
    });
    const { eventsUrl } = (await response.json()) as { eventsUrl: string };
    const { events } = await api.readSse(eventsUrl);

    expect(response.status).toBe(202);
    expect(events.at(-1)?.type).toBe('complete');
    expect(github.requests.map((request) => request.path)).toContain('/repos/octo/repo.js/issues/3');
  });
});

import { type FakeGitHub, startFakeGitHub } from '../../test/fake-github/fake-github-server';
import { clientFor, expectNoTokenInLogs, failureOf, TOKEN } from '../../test/github-spec-setup';
import { GitHubContents } from './github-contents';

describe(GitHubContents.name, () => {
  let github: FakeGitHub;
  let contents: GitHubContents;
  const signal = new AbortController().signal;

  expectNoTokenInLogs();

  beforeEach(async () => {
    github = await startFakeGitHub({ token: TOKEN });
    github.addRepository('acme/widgets', {
      defaultBranch: 'trunk',
      files: { 'README.md': '# Widgets\n', 'src/app.ts': 'export const answer = 42;\n' },
    });
    contents = new GitHubContents(clientFor(github.apiUrl));
  });

  afterEach(async () => {
    await github.close();
  });

  it('answers the default branch and its every file with its size', async () => {
    const branch = await contents.defaultBranch('acme/widgets', signal);

    await expect(contents.fileTree('acme/widgets', branch, signal)).resolves.toEqual({
      files: [
        { path: 'README.md', size: 10 },
        { path: 'src/app.ts', size: 26 },
      ],
      truncated: false,
    });
    expect(branch).toBe('trunk');
  });

  it('tells a file with its bytes from a directory', async () => {
    const file = await contents.contentAt('acme/widgets', 'src/app.ts', 'trunk', signal);
    const directory = await contents.contentAt('acme/widgets', 'src', 'trunk', signal);

    expect(file).toEqual({ kind: 'file', size: 26, content: Buffer.from('export const answer = 42;\n') });
    expect(directory).toEqual({ kind: 'directory' });
  });

  it('searches the code of the repository only, with the fragments that matched', async () => {
    const found = await contents.searchCode('acme/widgets', 'answer', 5, signal);

    expect(found).toEqual({
      total: 1,
      incomplete: false,
      hits: [{ path: 'src/app.ts', fragments: ['export const answer = 42;\n'] }],
    });
    expect(github.requests.at(-1)?.query.get('q')).toBe('answer repo:acme/widgets');
  });

  it('names the path in what fails, and the permission it needs', async () => {
    github.failNext('/repos/acme/widgets/contents/src/app.ts', {
      status: 403,
      message: 'Resource not accessible by integration',
    });

    const failure = await failureOf(contents.contentAt('acme/widgets', 'src/app.ts', 'trunk', signal));

    expect(failure.message).toMatch(
      /refused reading src\/app\.ts in acme\/widgets: .* "Contents: read" permission/,
    );
  });

  it.each(['owner/..', 'owner/.', '../name', 'owner/name/..', 'owner%2F..'])(
    'refuses the repository %s without sending GitHub any request, on every call',
    async (repository) => {
      const calls = [
        contents.defaultBranch(repository, signal),
        contents.fileTree(repository, 'main', signal),
        contents.contentAt(repository, 'README.md', 'main', signal),
        contents.searchCode(repository, 'TODO', 5, signal),
      ];

      for (const call of calls) expect((await failureOf(call)).message).toContain('is not');
      expect(github.requests).toEqual([]);
    },
  );
});

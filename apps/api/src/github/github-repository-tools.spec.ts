import { EventEmitter2 } from '@nestjs/event-emitter';
import { Logger } from '@nestjs/common';
import { rateLimitAnswer, startFakeGitHub, type FakeGitHub } from '../../test/fake-github/fake-github-server';
import type { GitHubConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import type { RepositoryTools } from '../llm/repository-tools';
import { checkPath, GitHubRepositoryTools, MAX_LISTED_FILES } from './github-repository-tools';
import { GitHubClient } from './github-client';
import { GitHubContents } from './github-contents';

const TOKEN = 'ghp_repositoryToolsToken000000000000000000';
const APP_TS = [
  'import { parseConfig } from "./config";',
  '',
  'export function main() {',
  '  return parseConfig(process.argv);',
  '}',
].join('\n');
const CONFIG_TS =
  'export function parseConfig(args: string[]) {\n  return { verbose: args.includes("-v") };\n}\n';

describe(GitHubRepositoryTools.name, () => {
  let github: FakeGitHub;
  let tools: RepositoryTools;
  const signal = new AbortController().signal;

  function toolsFor(config: Partial<GitHubConfig> = {}): RepositoryTools {
    const client = new GitHubClient(
      {
        ...loadConfig({}).github,
        apiUrl: github.apiUrl,
        token: TOKEN,
        retryDelayMs: 1,
        ...config,
      },
      new EventEmitter2(),
    );
    return new GitHubRepositoryTools(new GitHubContents(client), 'acme/widgets');
  }

  beforeEach(async () => {
    for (const level of ['warn', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
    github = await startFakeGitHub({ token: TOKEN });
    github.addRepository('acme/widgets', {
      defaultBranch: 'trunk',
      files: {
        'README.md': '# Widgets\n',
        'src/app.ts': APP_TS,
        'src/config.ts': CONFIG_TS,
        'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      },
    });
    tools = toolsFor();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await github.close();
  });

  describe('listFiles', () => {
    it('lists every file of the default branch with its size, from one recursive tree', async () => {
      const output = await tools.listFiles({}, signal);

      expect(output).toMatchObject({ ok: true, summary: 'Listed 4 files' });
      expect(output.content.split('\n')).toEqual([
        '4 files in acme/widgets (trunk), with their sizes in bytes:',
        'assets/logo.png (10)',
        'README.md (10)',
        `src/app.ts (${APP_TS.length})`,
        `src/config.ts (${CONFIG_TS.length})`,
      ]);
      expect(output.bytes).toBe(Buffer.byteLength(output.content));
      const tree = github.requests.find((request) => request.path.includes('/git/trees/'));
      expect(tree?.path).toBe('/repos/acme/widgets/git/trees/trunk');
      expect(tree?.query.get('recursive')).toBe('1');
    });

    it('lists the files under a directory only, and fetches the tree once per run', async () => {
      await tools.listFiles({}, signal);
      const output = await tools.listFiles({ path: './src/' }, signal);

      expect(output).toMatchObject({ ok: true, summary: 'Listed 2 files under src' });
      expect(output.content).toContain('src/app.ts');
      expect(output.content).not.toContain('README.md');
      expect(github.requests.filter((request) => request.path.includes('/git/trees/'))).toHaveLength(1);
    });

    it(`shows at most ${MAX_LISTED_FILES} files and says how many are left out`, async () => {
      const files = Object.fromEntries(
        Array.from({ length: 350 }, (_, index) => [`gen/file${index}.ts`, 'x']),
      );
      github.addRepository('acme/widgets', { files, truncatedTree: true });

      const output = await toolsFor().listFiles({ path: 'gen' }, signal);

      expect(output.summary).toBe(`Listed ${MAX_LISTED_FILES} of 350 files under gen`);
      expect(output.content).toContain('[50 more files under gen are not shown');
      expect(output.content).toContain('GitHub cut the tree');
    });

    it('says so when a directory has no files or the path is a file', async () => {
      await expect(tools.listFiles({ path: 'docs' }, signal)).resolves.toMatchObject({
        ok: false,
        summary: 'No files under docs in acme/widgets',
      });
      await expect(tools.listFiles({ path: 'src/app.ts' }, signal)).resolves.toMatchObject({
        ok: false,
        summary: 'src/app.ts is a file, not a directory; read it with read_file',
      });
    });
  });

  describe('readFile', () => {
    it('reads a file of the default branch with line numbers, and counts its bytes', async () => {
      const output = await tools.readFile({ path: 'src/app.ts', maxBytes: 64_000 }, signal);

      expect(output).toMatchObject({ ok: true, summary: 'Read src/app.ts (5 lines)', bytes: APP_TS.length });
      expect(output.content.split('\n')).toEqual([
        'src/app.ts (5 lines):',
        '1  import { parseConfig } from "./config";',
        '2  ',
        '3  export function main() {',
        '4    return parseConfig(process.argv);',
        '5  }',
      ]);
      const read = github.requests.find((request) => request.path.includes('/contents/'));
      expect(read?.path).toBe('/repos/acme/widgets/contents/src/app.ts');
      expect(read?.query.get('ref')).toBe('trunk');
    });

    it('reads no more than maxBytes, cut after a whole line, and says what was left', async () => {
      const output = await tools.readFile({ path: 'src/app.ts', maxBytes: 50 }, signal);

      expect(output).toMatchObject({ ok: true, summary: 'Read the first 2 of 5 lines of src/app.ts' });
      expect(output.bytes).toBeLessThanOrEqual(50);
      expect(output.content).toMatch(/^src\/app\.ts: lines 1–2 of 5 \(.*; the rest was not read\):/);
      expect(output.content).not.toContain('export function main');
    });

    it.each([
      ['a binary file', 'assets/logo.png', /assets\/logo\.png is a binary file/],
      ['a directory', 'src', /src is a directory; list its files with list_files/],
      ['a missing file', 'src/missing.ts', /No file at src\/missing\.ts in acme\/widgets/],
    ])('refuses %s and tells the model why', async (_case, path, message) => {
      const output = await tools.readFile({ path, maxBytes: 64_000 }, signal);

      expect(output.ok).toBe(false);
      expect(output.bytes).toBe(0);
      expect(output.summary).toMatch(message);
      expect(output.content).toMatch(message);
    });

    it('refuses a file too large for the contents API', async () => {
      github.addRepository('acme/widgets', { files: { 'data/big.json': 'x'.repeat(1024 * 1024 + 1) } });

      const output = await toolsFor().readFile({ path: 'data/big.json', maxBytes: 64_000 }, signal);

      expect(output).toMatchObject({ ok: false, summary: 'data/big.json is too large to read (1048.6 kB)' });
    });

    it.each(['../../etc/passwd', '/etc/passwd', 'src/../../secrets', 'src\\app.ts', 'src//app.ts', ''])(
      'refuses the path %j without asking GitHub',
      async (path) => {
        const output = await tools.readFile({ path, maxBytes: 64_000 }, signal);

        expect(output.ok).toBe(false);
        expect(output.summary).toMatch(/is not a path in the repository/);
        expect(github.requests).toHaveLength(0);
      },
    );

    it('tells the model what GitHub refused, and stops every tool when the rate limit is spent', async () => {
      github.failNext('/repos/acme/widgets', {
        status: 403,
        message: 'Resource not accessible by integration',
      });
      const refused = await tools.readFile({ path: 'src/app.ts', maxBytes: 64_000 }, signal);
      github.failNext(
        '/repos/acme/widgets/contents/src/app.ts',
        rateLimitAnswer(new Date(Date.UTC(2030, 0, 1))),
      );
      const limited = await tools.readFile({ path: 'src/app.ts', maxBytes: 64_000 }, signal);

      expect(refused).toMatchObject({ ok: false });
      expect(refused.stopAll).toBeUndefined();
      expect(refused.content).toMatch(/Could not read src\/app\.ts: .*"Contents: read" permission/);
      expect(limited).toMatchObject({
        ok: false,
        stopAll: "GitHub's rate limit (it resets at 2030-01-01T00:00:00Z)",
      });
    });

    it('rethrows the reason of an aborted signal', async () => {
      github.failNext('/repos/acme/widgets', { stall: true });
      const controller = new AbortController();
      const reason = new Error('deadline');

      const reading = tools.readFile({ path: 'src/app.ts', maxBytes: 64_000 }, controller.signal);
      await github.whenRequested('/repos/acme/widgets');
      controller.abort(reason);

      await expect(reading).rejects.toBe(reason);
    });
  });

  describe('searchCode', () => {
    it('searches the repository only, and shows the matching files with their fragments', async () => {
      const output = await tools.searchCode({ query: 'parseConfig repo:other/secret-repo' }, signal);

      expect(output).toMatchObject({ ok: true, summary: 'Found 2 files matching "parseConfig"' });
      expect(output.content).toContain('- src/app.ts');
      expect(output.content).toContain('- src/config.ts');
      expect(output.content).toContain('export function parseConfig(args: string[])');
      const search = github.requests.find((request) => request.path === '/search/code');
      expect(search?.query.get('q')).toBe('parseConfig repo:acme/widgets');
      expect(search?.headers.accept).toContain('text-match');
    });

    it('answers that nothing matches, and refuses a query that only names other repositories', async () => {
      await expect(tools.searchCode({ query: 'nowhereToBeFound' }, signal)).resolves.toMatchObject({
        ok: true,
        summary: 'No code matches "nowhereToBeFound"',
      });
      await expect(tools.searchCode({ query: 'org:acme repo:acme/other' }, signal)).resolves.toMatchObject({
        ok: false,
      });
    });

    it('tells the model that code search needs a token when none is configured', async () => {
      const output = await toolsFor({ token: undefined }).searchCode({ query: 'parseConfig' }, signal);

      expect(output.ok).toBe(false);
      expect(output.content).toMatch(/GitHub requires a token \(GITHUB_TOKEN\)/);
      expect(output.stopAll).toBeUndefined();
    });
  });
});

describe(checkPath.name, () => {
  it.each([
    ['src/app.ts', 'src/app.ts'],
    ['./src/app.ts', 'src/app.ts'],
    ['src/', 'src'],
    ['docs/a b/c#d?.md', 'docs/a b/c#d?.md'],
  ])('accepts %j as %j', (raw, path) => {
    expect(checkPath(raw)).toEqual({ path });
  });

  it.each(['..', 'a/../b', '/abs', 'a\\b', 'a\u0000b', 'a//b', '.', 'x'.repeat(1_025)])(
    'refuses %j',
    (raw) => {
      expect(checkPath(raw)).toHaveProperty('error');
    },
  );
});

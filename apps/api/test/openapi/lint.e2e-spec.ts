import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../test-app';

const LINT_OPENAPI = resolve(__dirname, '../../../../tools/lint-openapi.mjs');

/** Redocly's problems with a document, as `tools/lint-openapi.mjs` reports them. */
async function redoclyProblems(documentPath: string): Promise<unknown[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [LINT_OPENAPI, documentPath]).catch(
    (failure: { stdout?: string }) => {
      if (!failure.stdout) throw failure;
      return { stdout: failure.stdout };
    },
  );
  return JSON.parse(stdout) as unknown[];
}

describe('the OpenAPI document, linted by Redocly', () => {
  let api: TestApp;
  let folder: string;

  beforeAll(async () => {
    api = await startTestApp();
    folder = await mkdtemp(join(tmpdir(), 'issuecast-openapi-'));
  });
  afterAll(async () => {
    await api.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('has no problem under the recommended rules, but for those redocly.yaml turns off with a reason', async () => {
    const documentPath = join(folder, 'openapi.json');
    await writeFile(documentPath, await (await api.request('/api/docs-json', { as: 'anonymous' })).text());

    expect(await redoclyProblems(documentPath)).toEqual([]);
  });
});

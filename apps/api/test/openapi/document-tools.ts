import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp } from '../test-app';

/**
 * What a tool of `tools/` reports (JSON on stdout) about the document the app serves, written to a file as a
 * consumer would download it; an empty list when it finds nothing wrong.
 */
export async function reportOnServedDocument(tool: string): Promise<unknown[]> {
  const api = await startTestApp();
  const folder = await mkdtemp(join(tmpdir(), 'issuecast-openapi-'));
  try {
    const documentPath = join(folder, 'openapi.json');
    await writeFile(documentPath, await (await api.request('/api/docs-json', { as: 'anonymous' })).text());
    const toolPath = resolve(__dirname, '../../../../tools', tool);
    const { stdout } = await promisify(execFile)(process.execPath, [toolPath, documentPath]).catch(
      (failure: { stdout?: string }) => {
        if (!failure.stdout) throw failure;
        return { stdout: failure.stdout };
      },
    );
    return JSON.parse(stdout) as unknown[];
  } finally {
    await api.close();
    await rm(folder, { recursive: true, force: true });
  }
}

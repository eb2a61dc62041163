import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signInAlice, spawnMain, startServerProcess } from './server-process';
import { openSse } from './sse-client';

describe('the server process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'issuecast-process-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('ends open streams with an interrupted error and exits on SIGTERM', async () => {
    const { child, baseUrl } = await startServerProcess({ OFFLINE_LLM_DELAY_MS: '200', DATA_DIR: dataDir });
    const authorization = await signInAlice(baseUrl);
    const started = await fetch(`${baseUrl}/api/workflows/comment-on-issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ issue: { title: 'A long one', body: 'Steps to reproduce: open it, wait.' } }),
    });
    const { eventsUrl } = (await started.json()) as { eventsUrl: string };
    const sessions = await Promise.all(
      [1, 2, 3].map(() => openSse(`${baseUrl}${eventsUrl}`, { authorization })),
    );
    await Promise.all(sessions.map((session) => session.waitFor((event) => event.type === 'llm_response')));

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];

    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    for (const session of sessions) {
      await expect(session.finished).resolves.toBe('ended');
      expect(session.events.at(-1)).toMatchObject({
        type: 'error',
        data: { code: 'interrupted', retryable: true },
      });
    }
  }, 30_000);

  it('refuses to start on a wrong configuration, naming the variable', async () => {
    const child = spawnMain({ SSE_HEARTBEAT_MS: 'often', DATA_DIR: dataDir });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(1);
    expect(stderr).toContain('SSE_HEARTBEAT_MS');
  }, 30_000);
});

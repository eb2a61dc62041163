import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/load-config';

describe('the demo user', () => {
  let app: NestExpressApplication;
  let baseUrl: string;
  const logLines: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'issuecast-demo-'));

  beforeAll(async () => {
    // What a newcomer's first start looks like: no users configured, on loopback, outside production.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', DATA_DIR: dataDir });
    app = await createApp(config, { logDestination: { write: (line: string) => void logLines.push(line) } });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is announced by a warning that says how to replace it', () => {
    const warnings = logLines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(warnings).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(/AUTH_USERS is unset: the only user is demo \/ demo\. Set AUTH_USERS/),
      }),
    );
  });

  it('signs in as demo / demo, and no one else', async () => {
    const signIn = (username: string, password: string) =>
      fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
    expect((await signIn('demo', 'demo')).status).toBe(200);
    expect((await signIn('demo', 'wrong')).status).toBe(401);
    expect((await signIn('alice', 'demo')).status).toBe(401);
  });
});

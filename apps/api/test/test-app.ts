import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app/create-app';
import { loadConfig } from '../src/config/load-config';

/** The real app listening on a free loopback port, configured by `env` as the process would be. */
export interface TestApp {
  app: NestExpressApplication;
  baseUrl: string;
  /** `fetch` against the app, with a JSON body when given. */
  request(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', OFFLINE_LLM_DELAY_MS: '0', ...env });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    baseUrl,
    request: (path, { method = 'GET', body, headers = {} } = {}) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    close: () => app.close(),
  };
}

import { EventEmitter2 } from '@nestjs/event-emitter';
import { Logger } from '@nestjs/common';
import { inspect } from 'node:util';
import type { GitHubConfig } from '../src/config/app-config';
import { loadConfig } from '../src/config/load-config';
import { GitHubClient } from '../src/github/github-client';
import { RunFailure } from '../src/run-failure/run-failure';

/** The token the GitHub specs configure: no failure and no log line may show it. */
export const TOKEN = 'ghp_s3cretTokenThatMustNeverLeak0000000000';

/** A client of the fake GitHub at `apiUrl` with `TOKEN`; retries stay on, but waits are short. */
export function clientFor(apiUrl: string, config: Partial<GitHubConfig> = {}): GitHubClient {
  return new GitHubClient(
    { ...loadConfig({}).github, apiUrl, token: TOKEN, retryDelayMs: 1, ...config },
    new EventEmitter2(),
  );
}

/** Silences Nest's logger in each test and checks, after it, that no line it was given shows `TOKEN`. */
export function expectNoTokenInLogs(): void {
  let logged: jest.SpyInstance[] = [];
  beforeEach(() => {
    logged = (['log', 'warn', 'error', 'debug'] as const).map((level) =>
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined),
    );
  });
  afterEach(() => {
    for (const spy of logged) {
      expect(inspect(spy.mock.calls, { depth: Infinity })).not.toContain(TOKEN);
      spy.mockRestore();
    }
  });
}

/** The `RunFailure` a call rejected with, after checking that nothing in it (causes included) shows `TOKEN`. */
export async function failureOf(call: Promise<unknown>): Promise<RunFailure> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RunFailure);
  expect(inspect(error, { depth: Infinity })).not.toContain(TOKEN);
  return error as RunFailure;
}

import 'reflect-metadata';
import { AppConfig } from './app-config';
import { ConfigError, loadConfig } from './load-config';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNING_SECRET_FILE } from './signing-secret';

/** The error `loadConfig` throws for `env`, failing the test if it throws none. */
function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw');
}

describe(loadConfig.name, () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});

    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'info',
      llmProvider: 'offline',
      openaiModel: 'gpt-4o-mini',
      openaiTimeoutMs: 60_000,
      openaiMaxRetries: 2,
      offlineLlmDelayMs: 15,
      githubApiUrl: 'https://api.github.com',
      sseHeartbeatMs: 15_000,
      sseRetryMs: 3_000,
      sseMaxConnectionMs: 1_800_000,
      workflowRetentionMs: 3_600_000,
      workflowMaxEvents: 50_000,
      openaiTools: true,
      githubMaxRetries: 2,
      githubRetryDelayMs: 1_000,
      toolsMaxCalls: 12,
      toolsMaxBytes: 200_000,
      toolsTimeLimitMs: 60_000,
    });
    expect(config.openaiApiKey).toBeUndefined();
    expect(config.openaiBaseUrl).toBeUndefined();
    expect(config.githubToken).toBeUndefined();
  });

  it.each([
    ['OPENAI_API_KEY', { OPENAI_API_KEY: 'sk-test' }],
    ['OPENAI_BASE_URL', { OPENAI_BASE_URL: 'http://localhost:11434/v1' }],
  ])('chooses the openai provider when %s is set and LLM_PROVIDER is not', (_variable, env) => {
    expect(loadConfig(env).llmProvider).toBe('openai');
  });

  it('keeps an explicit LLM_PROVIDER=offline even when an OpenAI key is set', () => {
    expect(loadConfig({ LLM_PROVIDER: 'offline', OPENAI_API_KEY: 'sk-test' }).llmProvider).toBe('offline');
  });

  it('parses numeric variables into numbers and keeps strings as they are', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      AUTH_USERS: 'alice:alice-password',
      AUTH_JWT_SECRET: 'a-signing-secret-of-at-least-32-chars',
      SSE_HEARTBEAT_MS: '250',
      WORKFLOW_MAX_EVENTS: '20',
      OFFLINE_LLM_DELAY_MS: '0',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
    });

    expect(config.port).toBe(8080);
    expect(config.sseHeartbeatMs).toBe(250);
    expect(config.workflowMaxEvents).toBe(20);
    expect(config.offlineLlmDelayMs).toBe(0);
    expect(config.host).toBe('0.0.0.0');
    expect(config.githubApiUrl).toBe('https://ghe.example.com/api/v3');
  });

  it.each([
    ['false', false],
    ['FALSE', false],
    ['true', true],
  ])('reads OPENAI_TOOLS=%s as %s', (value, expected) => {
    expect(loadConfig({ OPENAI_TOOLS: value }).openaiTools).toBe(expected);
  });

  it('says what OPENAI_TOOLS takes when it is neither true nor false', () => {
    expect(configErrorOf({ OPENAI_TOOLS: 'off' }).message).toContain(
      'OPENAI_TOOLS="off": must be true or false',
    );
  });

  it('ignores the whitespace around a value', () => {
    expect(loadConfig({ PORT: ' 8080 ', HOST: ' localhost ' })).toMatchObject({
      port: 8080,
      host: 'localhost',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['SSE_HEARTBEAT_MS', '5'],
    ['LLM_PROVIDER', 'claude'],
    ['GITHUB_API_URL', 'not a url'],
    ['GITHUB_API_URL', 'ftp://example.com'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'verbose'],
    ['WORKFLOW_MAX_EVENTS', '3'],
    ['OPENAI_TOOLS', 'maybe'],
    ['GITHUB_MAX_RETRIES', '11'],
    ['GITHUB_RETRY_DELAY_MS', '-1'],
    ['TOOLS_MAX_CALLS', '0'],
    ['TOOLS_MAX_BYTES', '100'],
    ['TOOLS_TIME_LIMIT_MS', 'soon'],
  ])('refuses %s=%s with a ConfigError naming the variable', (variable, value) => {
    const error = configErrorOf({ [variable]: value });

    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(`${variable}=`);
  });

  it('shows the value that was given, as it was given, next to the variable it came from', () => {
    expect(configErrorOf({ PORT: 'abc' }).message).toContain('PORT="abc"');
  });

  it('names every wrong variable in one message', () => {
    const { message } = configErrorOf({
      PORT: 'abc',
      SSE_HEARTBEAT_MS: '5',
      LLM_PROVIDER: 'claude',
      GITHUB_API_URL: 'not a url',
    });

    for (const variable of ['PORT', 'SSE_HEARTBEAT_MS', 'LLM_PROVIDER', 'GITHUB_API_URL']) {
      expect(message).toContain(`${variable}=`);
    }
  });

  it('names only the wrong variables, not the valid ones beside them', () => {
    const { message } = configErrorOf({ PORT: 'abc', HOST: 'localhost', SSE_RETRY_MS: '100' });

    expect(message).toContain('PORT=');
    expect(message).not.toContain('HOST');
    expect(message).not.toContain('SSE_RETRY_MS');
  });

  it('never shows a secret in the message, even when other variables are wrong', () => {
    const secret = 'sk-thisMustNeverAppear0123456789';
    const token = 'ghp_thisMustNeverAppearEither0000';

    const { message } = configErrorOf({
      OPENAI_API_KEY: secret,
      GITHUB_TOKEN: token,
      LLM_PROVIDER: 'claude',
      OPENAI_BASE_URL: 'not a url',
      PORT: 'abc',
    });

    expect(message).toContain('LLM_PROVIDER=');
    expect(message).not.toContain(secret);
    expect(message).not.toContain(token);
  });

  it('refuses LLM_PROVIDER=openai without a key or a base URL, naming OPENAI_API_KEY', () => {
    const { message } = configErrorOf({ LLM_PROVIDER: 'openai' });

    expect(message).toContain('LLM_PROVIDER=openai');
    expect(message).toContain('OPENAI_API_KEY');
  });

  it('accepts LLM_PROVIDER=openai with only a base URL, for a server without keys', () => {
    const config = loadConfig({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' });

    expect(config.llmProvider).toBe('openai');
    expect(config.openaiBaseUrl).toBe('http://127.0.0.1:11434/v1');
  });

  it('treats empty and blank variables as unset', () => {
    const config = loadConfig({
      PORT: '',
      HOST: '   ',
      LLM_PROVIDER: '',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: ' ',
      GITHUB_API_URL: '',
      SSE_HEARTBEAT_MS: '',
    });

    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      llmProvider: 'offline',
      githubApiUrl: 'https://api.github.com',
      sseHeartbeatMs: 15_000,
    });
    expect(config.openaiApiKey).toBeUndefined();
    expect(config.openaiBaseUrl).toBeUndefined();
  });

  it('does not count an empty OPENAI_API_KEY as a key for LLM_PROVIDER=openai', () => {
    expect(configErrorOf({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: '' }).message).toContain('OPENAI_API_KEY');
  });

  describe('sign-in and origins', () => {
    const USERS = 'alice:correct-horse,bob:battery-staple';
    const SECRET = 'a-signing-secret-of-at-least-32-chars';

    it('refuses to start in production without AUTH_USERS and AUTH_JWT_SECRET, naming both', () => {
      const { message } = configErrorOf({ NODE_ENV: 'production' });

      expect(message).toContain('AUTH_USERS and AUTH_JWT_SECRET must be set in production');
    });

    it.each([
      ['AUTH_USERS', 'AUTH_JWT_SECRET', { AUTH_JWT_SECRET: SECRET }],
      ['AUTH_JWT_SECRET', 'AUTH_USERS', { AUTH_USERS: USERS }],
    ])('refuses to start in production without %s, naming only it', (missing, given, env) => {
      const { message } = configErrorOf({ NODE_ENV: 'production', ...env });

      expect(message).toContain(`${missing} must be set in production`);
      expect(message).not.toContain(given);
    });

    it('starts in production with users and a secret', () => {
      const config = loadConfig({ NODE_ENV: 'production', AUTH_USERS: USERS, AUTH_JWT_SECRET: SECRET });

      expect(config).toMatchObject({ nodeEnv: 'production', authUsers: USERS, authJwtSecret: SECRET });
    });

    it('outside production, with neither set, leaves the demo user in place and a random secret', () => {
      const first = loadConfig({});
      const second = loadConfig({});

      expect(first.authUsers).toBeUndefined();
      expect(first.authJwtSecret.length).toBeGreaterThanOrEqual(32);
      expect(second.authJwtSecret).not.toBe(first.authJwtSecret);
    });

    it.each(['0.0.0.0', '::', '192.168.1.20', 'example.org'])(
      'refuses HOST=%s without AUTH_USERS and AUTH_JWT_SECRET, naming both',
      (host) => {
        const { message } = configErrorOf({ HOST: host });

        expect(message).toContain(`AUTH_USERS and AUTH_JWT_SECRET must be set to listen beyond loopback`);
      },
    );

    it.each(['127.0.0.1', '127.0.1.1', 'localhost', '::1', '[::1]'])(
      'starts on HOST=%s with nothing configured',
      (host) => {
        expect(loadConfig({ HOST: host }).host).toBe(host);
      },
    );

    it('listens beyond loopback once users and a secret are set', () => {
      expect(loadConfig({ HOST: '0.0.0.0', AUTH_USERS: USERS, AUTH_JWT_SECRET: SECRET }).host).toBe(
        '0.0.0.0',
      );
    });

    it('keeps a generated secret in DATA_DIR, readable by its owner only, the same on the next start', () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'issuecast-data-'));
      const options = { persistGeneratedSecret: true };

      const first = loadConfig({ DATA_DIR: dataDir }, options);
      const second = loadConfig({ DATA_DIR: dataDir }, options);

      expect(second.authJwtSecret).toBe(first.authJwtSecret);
      expect(readFileSync(join(dataDir, SIGNING_SECRET_FILE), 'utf8').trim()).toBe(first.authJwtSecret);
      expect(statSync(join(dataDir, SIGNING_SECRET_FILE)).mode & 0o777).toBe(0o600);
      expect(loadConfig({ DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET }, options).authJwtSecret).toBe(SECRET);
      rmSync(dataDir, { recursive: true });
    });

    it.each([
      ['a name without a password', 'alice'],
      ['a name with an empty password', 'alice:'],
      ['a password without a name', ':hunter2'],
      ['a name and a password without the colon', 'alice hunter2'],
      ['a second pair without a password', 'alice:hunter2,bob'],
      ['an empty pair', 'alice:hunter2,,bob:hunter3'],
    ])('refuses AUTH_USERS with %s, naming AUTH_USERS without showing its value', (_case, value) => {
      const { message } = configErrorOf({ AUTH_USERS: value });

      expect(message).toContain('AUTH_USERS=(hidden): must be name:password pairs');
      expect(message).not.toContain(value);
      expect(message).not.toContain('hunter2');
    });

    it('refuses an AUTH_JWT_SECRET shorter than 32 characters, naming it without showing it', () => {
      const short = 'x'.repeat(31);

      const { message } = configErrorOf({ AUTH_JWT_SECRET: short });

      expect(message).toContain('AUTH_JWT_SECRET=(hidden): must be at least 32 characters');
      expect(message).not.toContain(short);
      expect(loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32) }).authJwtSecret).toBe('x'.repeat(32));
    });

    it.each([
      ['a host without a scheme', 'app.example.com'],
      ['another scheme', 'ftp://app.example.com'],
      ['a wildcard', '*'],
      ['a space after the comma', 'https://a.example.com, https://b.example.com'],
      ['a trailing comma', 'https://a.example.com,'],
      ['a trailing slash, which no Origin header has', 'https://app.example.com/'],
      ['a path', 'https://app.example.com/app'],
    ])('refuses CORS_ORIGINS with %s, naming it', (_case, value) => {
      const { message } = configErrorOf({ CORS_ORIGINS: value });

      expect(message).toContain(
        `CORS_ORIGINS=${JSON.stringify(value)}: must be comma-separated http(s) origins`,
      );
    });

    it('accepts CORS_ORIGINS as comma-separated origins, ports included', () => {
      const origins = 'https://triage.example.com,http://localhost:4200';

      expect(loadConfig({ CORS_ORIGINS: origins }).corsOrigins).toBe(origins);
    });

    it.each([
      ['everything, which would let any client choose its address', 'true'],
      ['a host name', 'proxy.internal'],
      ['a space after the comma', 'loopback, 10.0.0.0/8'],
      ['a trailing comma', '10.0.0.1,'],
      ['an address out of range', '999.1.1.1'],
      ['a prefix longer than the address', '10.0.0.0/33'],
      ['a malformed IPv6 address', '::::'],
      ['a subnet of every address', '0.0.0.0/0'],
    ])('refuses TRUST_PROXY with %s, naming it', (_case, value) => {
      const { message } = configErrorOf({ TRUST_PROXY: value });

      expect(message).toContain(`TRUST_PROXY=${JSON.stringify(value)}: must be a number of hops`);
    });

    it.each(['1', 'loopback', '10.0.0.0/8,fd00::/8', '192.168.1.10,uniquelocal', '::1'])(
      'accepts TRUST_PROXY=%s',
      (value) => {
        expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(value);
      },
    );
  });
});

import 'reflect-metadata';
import { configErrorOf } from '../../test/config-error-of';
import { loadConfig } from './load-config';

describe(loadConfig.name, () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      http: { port: 3000, host: '127.0.0.1', corsOrigins: [], shutdownDrainMs: 0 },
      log: { level: 'info' },
      auth: { tokenTtlSeconds: 28_800 },
      llm: {
        provider: 'offline',
        model: 'gpt-4o-mini',
        timeoutMs: 60_000,
        maxRetries: 2,
        tools: true,
        offlineDelayMs: 15,
      },
      github: { apiUrl: 'https://api.github.com', timeoutMs: 30_000, maxRetries: 2, retryDelayMs: 1_000 },
      sse: { heartbeatMs: 15_000, retryMs: 3_000, maxConnectionMs: 1_800_000 },
      limits: {
        rateLimitWindowMs: 60_000,
        rateLimits: { login: 10, runStart: 30, streamConnect: 120 },
        openStreamsPerUser: 20,
        runningRunsPerUser: 3,
        eventsPerRun: 50_000,
        tools: { maxCalls: 12, maxBytes: 200_000, timeLimitMs: 60_000 },
      },
      store: { retentionMs: 30 * 24 * 60 * 60_000 },
      deployment: { role: 'all', runLeaseMs: 20_000, workerConcurrency: 50 },
    });
    expect(config.deployment.redis).toBeUndefined();
    expect(config.http.trustProxy).toBeUndefined();
    expect(config.llm.apiKey).toBeUndefined();
    expect(config.llm.baseUrl).toBeUndefined();
    expect(config.github.token).toBeUndefined();
  });

  it.each([
    ['OPENAI_API_KEY', { OPENAI_API_KEY: 'sk-test' }],
    ['OPENAI_BASE_URL', { OPENAI_BASE_URL: 'http://localhost:11434/v1' }],
  ])('chooses the openai provider when %s is set and LLM_PROVIDER is not', (_variable, env) => {
    expect(loadConfig(env).llm.provider).toBe('openai');
  });

  it('keeps an explicit LLM_PROVIDER=offline even when an OpenAI key is set', () => {
    expect(loadConfig({ LLM_PROVIDER: 'offline', OPENAI_API_KEY: 'sk-test' }).llm.provider).toBe('offline');
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

    expect(config.http.port).toBe(8080);
    expect(config.sse.heartbeatMs).toBe(250);
    expect(config.limits.eventsPerRun).toBe(20);
    expect(config.llm.offlineDelayMs).toBe(0);
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.github.apiUrl).toBe('https://ghe.example.com/api/v3');
  });

  it.each([
    ['false', false],
    ['FALSE', false],
    ['true', true],
  ])('reads OPENAI_TOOLS=%s as %s', (value, expected) => {
    expect(loadConfig({ OPENAI_TOOLS: value }).llm.tools).toBe(expected);
  });

  it('says what OPENAI_TOOLS takes when it is neither true nor false', () => {
    expect(configErrorOf({ OPENAI_TOOLS: 'off' }).message).toContain(
      'OPENAI_TOOLS="off": must be true or false',
    );
  });

  it('ignores the whitespace around a value', () => {
    expect(loadConfig({ PORT: ' 8080 ', HOST: ' localhost ' }).http).toMatchObject({
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

    expect(config.llm.provider).toBe('openai');
    expect(config.llm.baseUrl).toBe('http://127.0.0.1:11434/v1');
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
      http: { port: 3000, host: '127.0.0.1' },
      llm: { provider: 'offline' },
      github: { apiUrl: 'https://api.github.com' },
      sse: { heartbeatMs: 15_000 },
    });
    expect(config.llm.apiKey).toBeUndefined();
    expect(config.llm.baseUrl).toBeUndefined();
  });

  it('does not count an empty OPENAI_API_KEY as a key for LLM_PROVIDER=openai', () => {
    expect(configErrorOf({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: '' }).message).toContain('OPENAI_API_KEY');
  });

  it('ignores the variables that are not its own, whatever their value', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '', port: 'abc', SSE_RETRY_MS: '100' }).sse.retryMs).toBe(
      100,
    );
  });

  it.each([
    'postgres://issuecast:pw@db.internal:5432/issuecast',
    'postgresql://db/issuecast?sslmode=require',
  ])('takes DATABASE_URL=%s as the store', (url) => {
    expect(loadConfig({ DATABASE_URL: url }).store.databaseUrl).toBe(url);
  });

  it('keeps the embedded store when DATABASE_URL is unset', () => {
    expect(loadConfig({}).store.databaseUrl).toBeUndefined();
  });

  it.each(['mysql://issuecast:s3cret-pw@db/issuecast', 'db.internal:5432/s3cret-pw'])(
    'refuses DATABASE_URL=%s, naming it but hiding its value',
    (url) => {
      const { message } = configErrorOf({ DATABASE_URL: url });

      expect(message).toContain('DATABASE_URL=(hidden): must be a postgres:// or postgresql:// URL');
      expect(message).not.toContain('s3cret-pw');
    },
  );

  it("keeps DATABASE_URL's password, decoded, from the model", () => {
    const { redaction } = loadConfig({ DATABASE_URL: 'postgres://issuecast:pass%2Fword-42@db/issuecast' });

    expect(redaction.secrets).toContain('pass/word-42');
  });

  describe('the shared mode', () => {
    const DATABASE_URL = 'postgres://db/issuecast';

    it('takes REDIS_URL with DATABASE_URL, with the default key prefix', () => {
      const { deployment } = loadConfig({ DATABASE_URL, REDIS_URL: 'redis://cache:6379/2', ROLE: 'api' });

      expect(deployment).toEqual({
        role: 'api',
        redis: { url: 'redis://cache:6379/2', keyPrefix: 'issuecast:' },
        runLeaseMs: 20_000,
        workerConcurrency: 50,
      });
    });

    it('refuses REDIS_URL without DATABASE_URL, naming both', () => {
      const { message } = configErrorOf({ REDIS_URL: 'redis://cache:6379' });

      expect(message).toContain('REDIS_URL (the shared mode) needs DATABASE_URL');
    });

    it.each(['api', 'worker'])(
      'refuses ROLE=%s without the shared mode, naming REDIS_URL and DATABASE_URL',
      (role) => {
        const { message } = configErrorOf({ DATABASE_URL, ROLE: role });

        expect(message).toContain(`ROLE=${role} needs the shared mode: set REDIS_URL and DATABASE_URL`);
      },
    );

    it('names ROLE when it is none of the three', () => {
      expect(configErrorOf({ ROLE: 'scheduler' }).message).toContain('ROLE="scheduler"');
    });

    it('refuses a REDIS_URL that is not redis:// or rediss://, hiding it, and keeps its password from the model', () => {
      expect(configErrorOf({ DATABASE_URL, REDIS_URL: 'http://cache/s3cret-pw' }).message).toContain(
        'REDIS_URL=(hidden): must be a redis:// or rediss:// URL',
      );
      const { redaction } = loadConfig({
        DATABASE_URL,
        REDIS_URL: 'rediss://default:redis-pass-42@cache:6380',
      });

      expect(redaction.secrets).toContain('redis-pass-42');
    });
  });
});

import 'reflect-metadata';
import { AppConfig } from './app-config';
import { ConfigError, loadConfig } from './load-config';

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
    const { message } = configErrorOf({ PORT: 'abc', HOST: 'example.org', SSE_RETRY_MS: '100' });

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
});

import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig } from './app-config';
import { isLoopback } from './is-loopback';
import { persistedSigningSecret } from './signing-secret';

/** The environment variable behind each configuration property. */
const VARIABLES: Record<keyof AppConfig, string> = {
  nodeEnv: 'NODE_ENV',
  port: 'PORT',
  host: 'HOST',
  dataDir: 'DATA_DIR',
  webRoot: 'WEB_ROOT',
  logLevel: 'LOG_LEVEL',
  llmProvider: 'LLM_PROVIDER',
  openaiApiKey: 'OPENAI_API_KEY',
  openaiBaseUrl: 'OPENAI_BASE_URL',
  openaiModel: 'OPENAI_MODEL',
  openaiTimeoutMs: 'OPENAI_TIMEOUT_MS',
  openaiMaxRetries: 'OPENAI_MAX_RETRIES',
  openaiTools: 'OPENAI_TOOLS',
  offlineLlmDelayMs: 'OFFLINE_LLM_DELAY_MS',
  githubToken: 'GITHUB_TOKEN',
  githubApiUrl: 'GITHUB_API_URL',
  githubTimeoutMs: 'GITHUB_TIMEOUT_MS',
  githubMaxRetries: 'GITHUB_MAX_RETRIES',
  githubRetryDelayMs: 'GITHUB_RETRY_DELAY_MS',
  toolsMaxCalls: 'TOOLS_MAX_CALLS',
  toolsMaxBytes: 'TOOLS_MAX_BYTES',
  toolsTimeLimitMs: 'TOOLS_TIME_LIMIT_MS',
  sseHeartbeatMs: 'SSE_HEARTBEAT_MS',
  sseRetryMs: 'SSE_RETRY_MS',
  sseMaxConnectionMs: 'SSE_MAX_CONNECTION_MS',
  workflowRetentionMs: 'WORKFLOW_RETENTION_MS',
  workflowMaxEvents: 'WORKFLOW_MAX_EVENTS',
  shutdownDrainMs: 'SHUTDOWN_DRAIN_MS',
  authUsers: 'AUTH_USERS',
  authJwtSecret: 'AUTH_JWT_SECRET',
  authTokenTtlSeconds: 'AUTH_TOKEN_TTL_SECONDS',
  corsOrigins: 'CORS_ORIGINS',
  trustProxy: 'TRUST_PROXY',
  rateLimitWindowMs: 'RATE_LIMIT_WINDOW_MS',
  rateLimitLogins: 'RATE_LIMIT_LOGINS',
  rateLimitRunStarts: 'RATE_LIMIT_RUN_STARTS',
  rateLimitStreamConnects: 'RATE_LIMIT_STREAM_CONNECTS',
  maxOpenStreamsPerUser: 'MAX_OPEN_STREAMS_PER_USER',
  maxRunningRunsPerUser: 'MAX_RUNNING_RUNS_PER_USER',
};

/** Variables whose values never appear in a message. */
const SECRETS = new Set<keyof AppConfig>(['openaiApiKey', 'githubToken', 'authUsers', 'authJwtSecret']);

/** What production, or a server reachable beyond loopback, refuses to start without: the defaults would let anyone in. */
const REQUIRED_WHEN_EXPOSED: (keyof AppConfig)[] = ['authUsers', 'authJwtSecret'];

export interface LoadConfigOptions {
  /** Keep a generated `AUTH_JWT_SECRET` in `DATA_DIR`, so that a restart keeps people signed in (the server does). */
  persistGeneratedSecret?: boolean;
}

/** Thrown at boot when the environment is wrong; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the configuration from an environment once. Empty variables count as unset. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { persistGeneratedSecret = false }: LoadConfigOptions = {},
): AppConfig {
  const plain: Partial<Record<keyof AppConfig, string>> = {};
  for (const [property, variable] of Object.entries(VARIABLES) as [keyof AppConfig, string][]) {
    const value = env[variable]?.trim();
    if (value) plain[property] = value;
  }
  plain.llmProvider ??= plain.openaiApiKey || plain.openaiBaseUrl ? 'openai' : 'offline';

  const config = plainToInstance(AppConfig, plain);
  // The value is shown as it was given: after conversion, `PORT=abc` would read `PORT=null` (NaN).
  const problems = validateSync(config, { forbidUnknownValues: true }).map(({ property, constraints }) => {
    const key = property as keyof AppConfig;
    const shown = SECRETS.has(key) ? '(hidden)' : JSON.stringify(plain[key]);
    return `${VARIABLES[key]}=${shown}: ${Object.values(constraints ?? {}).join('; ')}`;
  });
  const missing = REQUIRED_WHEN_EXPOSED.filter((key) => !plain[key]).map((key) => VARIABLES[key]);
  if (missing.length > 0 && config.nodeEnv === 'production') {
    problems.push(`${missing.join(' and ')} must be set in production`);
  } else if (missing.length > 0 && !isLoopback(config.host)) {
    problems.push(
      `${missing.join(' and ')} must be set to listen beyond loopback (HOST=${JSON.stringify(config.host)})`,
    );
  }
  if (config.llmProvider === 'openai' && !config.openaiApiKey && !config.openaiBaseUrl) {
    problems.push('LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a server without keys)');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  if (!plain.authJwtSecret && persistGeneratedSecret)
    config.authJwtSecret = persistedSigningSecret(config.dataDir);
  return config;
}

import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type AppConfig, IN_MEMORY_DATA_DIR } from './app-config';
import { Environment } from './environment';
import { isLoopback } from './is-loopback';
import { secretValuesOf } from './secrets';
import { persistedSigningSecret } from './signing-secret';
import { isSecret } from './variable-decorators';

type Variable = keyof Environment;

/** What production, or a server reachable beyond loopback, refuses to start without: the defaults would let anyone in. */
const REQUIRED_WHEN_EXPOSED: Variable[] = ['AUTH_USERS', 'AUTH_JWT_SECRET'];

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
  const given: Partial<Record<string, string>> = {};
  for (const [variable, value] of Object.entries(env)) {
    if (value?.trim()) given[variable] = value.trim();
  }
  given.LLM_PROVIDER ??= given.OPENAI_API_KEY || given.OPENAI_BASE_URL ? 'openai' : 'offline';

  const environment = plainToInstance(Environment, given);
  // `whitelist` drops the variables that are none of the server's (PATH, …). The value is shown as it
  // was given: after conversion, `PORT=abc` would read `PORT=null` (NaN).
  const problems = validateSync(environment, { whitelist: true, forbidUnknownValues: true }).map(
    ({ property, constraints }) => {
      const shown = isSecret(property) ? '(hidden)' : JSON.stringify(given[property]);
      return `${property}=${shown}: ${Object.values(constraints ?? {}).join('; ')}`;
    },
  );
  const missing = REQUIRED_WHEN_EXPOSED.filter((variable) => !given[variable]);
  if (missing.length > 0 && environment.NODE_ENV === 'production') {
    problems.push(`${missing.join(' and ')} must be set in production`);
  } else if (missing.length > 0 && !isLoopback(environment.HOST)) {
    problems.push(
      `${missing.join(' and ')} must be set to listen beyond loopback (HOST=${JSON.stringify(environment.HOST)})`,
    );
  }
  if (environment.LLM_PROVIDER === 'openai' && !environment.OPENAI_API_KEY && !environment.OPENAI_BASE_URL) {
    problems.push('LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a server without keys)');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  if (!given.AUTH_JWT_SECRET && persistGeneratedSecret && environment.DATA_DIR !== IN_MEMORY_DATA_DIR)
    environment.AUTH_JWT_SECRET = persistedSigningSecret(environment.DATA_DIR);
  return groupsOf(environment);
}

function groupsOf(env: Environment): AppConfig {
  return {
    http: {
      port: env.PORT,
      host: env.HOST,
      webRoot: env.WEB_ROOT,
      corsOrigins: env.CORS_ORIGINS?.split(',') ?? [],
      // A hop count is a number to Express; a string is a list of proxies.
      trustProxy:
        env.TRUST_PROXY && /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY,
      shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    },
    log: { level: env.LOG_LEVEL },
    auth: {
      users: env.AUTH_USERS,
      jwtSecret: env.AUTH_JWT_SECRET,
      tokenTtlSeconds: env.AUTH_TOKEN_TTL_SECONDS,
    },
    llm: {
      provider: env.LLM_PROVIDER,
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      timeoutMs: env.OPENAI_TIMEOUT_MS,
      maxRetries: env.OPENAI_MAX_RETRIES,
      tools: env.OPENAI_TOOLS,
      offlineDelayMs: env.OFFLINE_LLM_DELAY_MS,
    },
    github: {
      token: env.GITHUB_TOKEN,
      apiUrl: env.GITHUB_API_URL,
      timeoutMs: env.GITHUB_TIMEOUT_MS,
      maxRetries: env.GITHUB_MAX_RETRIES,
      retryDelayMs: env.GITHUB_RETRY_DELAY_MS,
    },
    sse: {
      heartbeatMs: env.SSE_HEARTBEAT_MS,
      retryMs: env.SSE_RETRY_MS,
      maxConnectionMs: env.SSE_MAX_CONNECTION_MS,
    },
    limits: {
      rateLimitWindowMs: env.RATE_LIMIT_WINDOW_MS,
      rateLimits: {
        login: env.RATE_LIMIT_LOGINS,
        runStart: env.RATE_LIMIT_RUN_STARTS,
        streamConnect: env.RATE_LIMIT_STREAM_CONNECTS,
      },
      openStreamsPerUser: env.MAX_OPEN_STREAMS_PER_USER,
      runningRunsPerUser: env.MAX_RUNNING_RUNS_PER_USER,
      eventsPerRun: env.WORKFLOW_MAX_EVENTS,
      tools: {
        maxCalls: env.TOOLS_MAX_CALLS,
        maxBytes: env.TOOLS_MAX_BYTES,
        timeLimitMs: env.TOOLS_TIME_LIMIT_MS,
      },
    },
    store: { dataDir: env.DATA_DIR, databaseUrl: env.DATABASE_URL, retentionMs: env.WORKFLOW_RETENTION_MS },
    redaction: { secrets: secretValuesOf(env) },
    metrics: { token: env.METRICS_TOKEN },
  };
}

import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type AppConfig, IN_MEMORY_DATA_DIR, type OidcClientSettings } from './app-config';
import { Environment } from './environment';
import { isLoopback } from './is-loopback';
import { secretValuesOf } from './secrets';
import { persistedSigningSecret } from './signing-secret';
import { isSecret } from './variable-decorators';

type Variable = keyof Environment;

/** What production, or a server reachable beyond loopback, refuses to start without: the defaults would let anyone in. */
const REQUIRED_WHEN_EXPOSED: Variable[] = ['AUTH_USERS', 'AUTH_JWT_SECRET'];

/** OpenID Connect sign-in needs all of these, or none. */
const OIDC_CLIENT_VARIABLES: Variable[] = [
  'OIDC_ISSUER_URL',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'PUBLIC_URL',
];

const DEFAULT_USERNAME_CLAIMS = ['preferred_username', 'email', 'sub'];

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
  const oidcMissing = OIDC_CLIENT_VARIABLES.filter((variable) => !given[variable]);
  const oidcConfigured = oidcMissing.length === 0;
  if (!oidcConfigured && oidcMissing.length < OIDC_CLIENT_VARIABLES.length) {
    problems.push(`OpenID Connect sign-in also needs ${oidcMissing.join(' and ')}`);
  }
  // With a provider to sign in at, password users are optional: the defaults no longer let anyone in.
  const missing = REQUIRED_WHEN_EXPOSED.filter(
    (variable) => !given[variable] && !(variable === 'AUTH_USERS' && oidcConfigured),
  );
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
  problems.push(...sharedModeProblems(environment));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  if (!given.AUTH_JWT_SECRET && persistGeneratedSecret && environment.DATA_DIR !== IN_MEMORY_DATA_DIR)
    environment.AUTH_JWT_SECRET = persistedSigningSecret(environment.DATA_DIR);
  return groupsOf(environment, oidcConfigured);
}

function groupsOf(env: Environment, oidcConfigured: boolean): AppConfig {
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
      users: env.AUTH_USERS ?? (oidcConfigured ? '' : undefined),
      jwtSecret: env.AUTH_JWT_SECRET,
      tokenTtlSeconds: env.AUTH_TOKEN_TTL_SECONDS,
    },
    oidc: { client: oidcConfigured ? oidcClientOf(env) : undefined },
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
    deployment: {
      role: env.ROLE,
      redis: env.REDIS_URL ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX } : undefined,
      runLeaseMs: env.RUN_LEASE_MS,
      workerConcurrency: env.WORKER_CONCURRENCY,
    },
    redaction: { secrets: secretValuesOf(env) },
    metrics: { token: env.METRICS_TOKEN },
  };
}

/** The shared mode needs both Redis and PostgreSQL; the split roles need the shared mode. */
function sharedModeProblems({ REDIS_URL, DATABASE_URL, ROLE }: Environment): string[] {
  if (REDIS_URL && !DATABASE_URL) {
    return ['REDIS_URL (the shared mode) needs DATABASE_URL too: the embedded store serves one process only'];
  }
  if (ROLE !== 'all' && !REDIS_URL) {
    return [
      `ROLE=${ROLE} needs the shared mode: set REDIS_URL and DATABASE_URL, or ROLE=all for one process`,
    ];
  }
  return [];
}

function oidcClientOf(env: Environment): OidcClientSettings {
  const publicUrl = env.PUBLIC_URL as string;
  return {
    issuerUrl: env.OIDC_ISSUER_URL as string,
    clientId: env.OIDC_CLIENT_ID as string,
    clientSecret: env.OIDC_CLIENT_SECRET as string,
    redirectUri: `${publicUrl}/api/auth/oidc/callback`,
    postLogoutRedirectUri: `${publicUrl}/sign-in`,
    providerName: env.OIDC_PROVIDER_NAME,
    scopes: env.OIDC_SCOPES,
    usernameClaims: env.OIDC_USERNAME_CLAIM ? [env.OIDC_USERNAME_CLAIM] : DEFAULT_USERNAME_CLAIMS,
    allowedGroups: env.OIDC_ALLOWED_GROUPS?.split(',').map((group) => group.trim()) ?? [],
  };
}

import type { LlmProviderName, Role } from './environment';

/**
 * The configuration by concern, built from the validated `Environment` by `loadConfig`. Each group is an
 * abstract class so that it is its own injection token: a consumer takes only the group it needs.
 */
export interface AppConfig {
  readonly http: HttpConfig;
  readonly log: LogConfig;
  readonly auth: AuthConfig;
  readonly oidc: OidcConfig;
  readonly llm: LlmConfig;
  readonly github: GitHubConfig;
  readonly sse: SseConfig;
  readonly limits: LimitsConfig;
  readonly store: StoreConfig;
  readonly deployment: DeploymentConfig;
  readonly redaction: RedactionConfig;
  readonly metrics: MetricsConfig;
}

/** Where the server listens, whom its HTTP layer trusts, what it serves at `/`, how it stops. */
export abstract class HttpConfig {
  abstract readonly port: number;
  abstract readonly host: string;
  abstract readonly webRoot: string;
  /** Origins allowed to call the API from another site's pages. */
  abstract readonly corsOrigins: readonly string[];
  /** Express's `trust proxy`: a hop count, or a list of proxies; unset, no proxy is trusted. */
  abstract readonly trustProxy?: number | string;
  abstract readonly shutdownDrainMs: number;
}

export abstract class LogConfig {
  abstract readonly level: string;
}

/** The one user outside production when `AUTH_USERS` is unset. */
export const DEMO_USERS = 'demo:demo';

export abstract class AuthConfig {
  /** `name:password` pairs, comma-separated; unset means the demo user, empty means no password sign-in. */
  abstract readonly users?: string;
  abstract readonly jwtSecret: string;
  abstract readonly tokenTtlSeconds: number;
}

/** The OpenID Provider and this server's client at it, when OpenID Connect sign-in is configured. */
export interface OidcClientSettings {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `PUBLIC_URL` + `/api/auth/oidc/callback`, registered at the provider. */
  readonly redirectUri: string;
  /** `PUBLIC_URL` + `/sign-in`, where the provider's sign-out sends the browser back. */
  readonly postLogoutRedirectUri: string;
  readonly providerName: string;
  readonly scopes: string;
  /** The claims tried in turn for the username. */
  readonly usernameClaims: readonly string[];
  /** One of them must be in the `groups` claim; empty, anyone the provider signs in may. */
  readonly allowedGroups: readonly string[];
}

export abstract class OidcConfig {
  /** Unset: OpenID Connect sign-in is off. */
  abstract readonly client?: OidcClientSettings;
}

/** Who drafts the comment: the OpenAI-compatible server, or the offline drafter. */
export abstract class LlmConfig {
  abstract readonly provider: LlmProviderName;
  abstract readonly apiKey?: string;
  abstract readonly baseUrl?: string;
  abstract readonly model: string;
  abstract readonly timeoutMs: number;
  abstract readonly maxRetries: number;
  /** Whether the model is offered the repository tools. */
  abstract readonly tools: boolean;
  abstract readonly offlineDelayMs: number;
}

export abstract class GitHubConfig {
  abstract readonly token?: string;
  abstract readonly apiUrl: string;
  abstract readonly timeoutMs: number;
  abstract readonly maxRetries: number;
  abstract readonly retryDelayMs: number;
}

/** The timings of every event stream. */
export abstract class SseConfig {
  abstract readonly heartbeatMs: number;
  abstract readonly retryMs: number;
  abstract readonly maxConnectionMs: number;
}

/** What one user, or one run, may do at most. */
export abstract class LimitsConfig {
  abstract readonly rateLimitWindowMs: number;
  /** Per window: sign-in attempts per IP, run starts and event-stream connection attempts per user. */
  abstract readonly rateLimits: {
    readonly login: number;
    readonly runStart: number;
    readonly streamConnect: number;
  };
  abstract readonly openStreamsPerUser: number;
  abstract readonly runningRunsPerUser: number;
  abstract readonly eventsPerRun: number;
  /** What one run may read of its repository through the tools. */
  abstract readonly tools: {
    readonly maxCalls: number;
    readonly maxBytes: number;
    readonly timeLimitMs: number;
  };
}

/**
 * The `DATA_DIR` that keeps nothing on disk: the embedded store on an in-memory database and a
 * signing secret generated per start, for demos and benchmarks.
 */
export const IN_MEMORY_DATA_DIR = ':memory:';

/** Where the server keeps its state, and for how long a finished run. */
export abstract class StoreConfig {
  abstract readonly dataDir: string;
  /** PostgreSQL instead of the embedded store in `dataDir`, when set. */
  abstract readonly databaseUrl?: string;
  abstract readonly retentionMs: number;
}

/** Redis, where the instances of the shared mode meet. */
export interface RedisSettings {
  readonly url: string;
  /** Before every key and channel name. */
  readonly keyPrefix: string;
}

/** What this process does, and with whom: one process (`all`, no Redis), or one of several sharing Redis and PostgreSQL. */
export abstract class DeploymentConfig {
  abstract readonly role: Role;
  /** Set: the shared mode. */
  abstract readonly redis?: RedisSettings;
  /** How long a worker's claim on a run lasts without renewal. */
  abstract readonly runLeaseMs: number;
  /** Runs this process executes from the queue at once. */
  abstract readonly workerConcurrency: number;
}

/** Who may read `/api/metrics` besides a signed-in user: a scraper with this bearer token. */
export abstract class MetricsConfig {
  abstract readonly token?: string;
}

/** The configured secrets, which text from outside (issues, repository files) must never carry to the model. */
export abstract class RedactionConfig {
  abstract readonly secrets: readonly string[];
}

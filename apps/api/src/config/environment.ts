import { join, resolve } from 'node:path';
import { IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { IsConnectionUrl } from './is-connection-url';
import { IsTrustProxy } from './is-trust-proxy';
import { generatedSigningSecret } from './signing-secret';
import { BooleanVariable, IntVariable, Secret } from './variable-decorators';

/** What one process does in the shared mode; `all` is the only role without it. */
const ROLES = ['all', 'api', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** Which drafter writes the comment. */
export type LlmProviderName = 'openai' | 'offline';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * The environment the server reads, validated once at boot by `loadConfig`: each field is a variable, by its
 * name, with its default. The README's configuration table says what each one means.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IntVariable({ min: 0, max: 65535 })
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  /** Where the server keeps its state (the generated signing secret); `data/` where it starts. */
  @IsString()
  @MinLength(1)
  DATA_DIR = resolve('data');

  /**
   * The PostgreSQL database to keep runs in instead of the embedded store in `DATA_DIR`:
   * `postgres://user:password@host:5432/database`. Secret, since it may hold a password.
   */
  @Secret()
  @IsOptional()
  @IsConnectionUrl('postgres:', 'postgresql:')
  DATABASE_URL?: string;

  /**
   * The shared mode: live events, the run queue, caps and rate limits on this Redis
   * (`redis://user:password@host:6379/0`, `rediss://` for TLS). Needs `DATABASE_URL`. Secret, since it may hold a password.
   */
  @Secret()
  @IsOptional()
  @IsConnectionUrl('redis:', 'rediss:')
  REDIS_URL?: string;

  /** Put before every key and channel name this server uses in Redis, so that deployments can share one. */
  @IsString()
  @MinLength(1)
  REDIS_KEY_PREFIX = 'issuecast:';

  /** What this process does: everything, HTTP only (runs go to the queue), or runs from the queue. */
  @IsIn(ROLES)
  ROLE: Role = 'all';

  /** How long a worker's claim on a run lasts without being renewed; it renews it four times as often. */
  @IntVariable({ min: 1_000 })
  RUN_LEASE_MS = 20_000;

  /** Runs one process executes from the queue at once: they wait on the model and GitHub, not on its CPU. */
  @IntVariable({ min: 1, max: 1_000 })
  WORKER_CONCURRENCY = 50;

  /** The built web app; by default where `npm run build` puts it beside the API's bundle. */
  @IsString()
  @MinLength(1)
  WEB_ROOT = join(__dirname, '..', 'web', 'browser');

  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
  LOG_LEVEL = 'info';

  /** Defaults to `openai` when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set (`loadConfig` decides). */
  @IsIn(['openai', 'offline'])
  LLM_PROVIDER: LlmProviderName = 'offline';

  @Secret()
  @IsOptional()
  @IsString()
  OPENAI_API_KEY?: string;

  /** Any server that speaks the Chat Completions API (Ollama, vLLM, …). */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  OPENAI_BASE_URL?: string;

  @IsString()
  @MinLength(1)
  OPENAI_MODEL = 'gpt-4o-mini';

  /** The longest wait for the model's answer to start, or between two of its chunks. */
  @IntVariable({ min: 1 })
  OPENAI_TIMEOUT_MS = 60_000;

  /** Retries of a request that failed before the stream started (429, 5xx, network). */
  @IntVariable({ min: 0, max: 10 })
  OPENAI_MAX_RETRIES = 2;

  /** Whether the model is offered the repository tools; off for a model or server without tool calling. */
  @BooleanVariable()
  OPENAI_TOOLS = true;

  /** Pause between two tokens of the offline drafter. */
  @IntVariable({ min: 0 })
  OFFLINE_LLM_DELAY_MS = 15;

  @Secret()
  @IsOptional()
  @IsString()
  GITHUB_TOKEN?: string;

  /** GitHub Enterprise: `https://HOST/api/v3`. */
  @IsUrl(URL_OPTIONS)
  GITHUB_API_URL = 'https://api.github.com';

  /** The longest wait for one GitHub request. */
  @IntVariable({ min: 1 })
  GITHUB_TIMEOUT_MS = 30_000;

  /**
   * Retries of a GitHub read that failed with a 5xx or no answer, and of a request refused by a rate limit
   * that resets within seconds. A comment is never created twice: before a new attempt, the issue is
   * searched for the comment the failed one may have created.
   */
  @IntVariable({ min: 0, max: 10 })
  GITHUB_MAX_RETRIES = 2;

  /** The first wait before a retry; the next ones wait 4, then 9 times as long. */
  @IntVariable({ min: 0 })
  GITHUB_RETRY_DELAY_MS = 1_000;

  /** The most repository tool calls one run may make. */
  @IntVariable({ min: 1, max: 100 })
  TOOLS_MAX_CALLS = 12;

  /** The most bytes of the repository (files, listings, search results) one run may read. */
  @IntVariable({ min: 1_024 })
  TOOLS_MAX_BYTES = 200_000;

  /** How long a run may spend reading the repository before it must answer. */
  @IntVariable({ min: 1 })
  TOOLS_TIME_LIMIT_MS = 60_000;

  /** A comment line at least this often on every open stream. */
  @IntVariable({ min: 100 })
  SSE_HEARTBEAT_MS = 15_000;

  /** The reconnection delay suggested to clients. */
  @IntVariable({ min: 0 })
  SSE_RETRY_MS = 3_000;

  /** A stream open this long is closed; the client resumes. */
  @IntVariable({ min: 1_000 })
  SSE_MAX_CONNECTION_MS = 30 * 60_000;

  /** How long a finished run and its events are kept; then they are deleted for good. */
  @IntVariable({ min: 0 })
  WORKFLOW_RETENTION_MS = 30 * 24 * 60 * 60_000;

  /** The most events one run may produce; past it the run fails. */
  @IntVariable({ min: 10 })
  WORKFLOW_MAX_EVENTS = 50_000;

  /**
   * `name:password` pairs, comma-separated; unset (loopback, outside production, without OpenID Connect
   * only) means `demo:demo`. With OpenID Connect, unset means no password sign-in.
   */
  @Secret()
  @IsOptional()
  @Matches(/^[^:,\s]+:[^,]+(,[^:,\s]+:[^,]+)*$/, { message: 'must be name:password pairs, comma-separated' })
  AUTH_USERS?: string;

  /**
   * Signs session tokens. Unset (loopback, outside production only) means one generated and kept in
   * `DATA_DIR` by the server process, a random one per load elsewhere.
   */
  @Secret()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  AUTH_JWT_SECRET = generatedSigningSecret();

  /** How long a sign-in lasts; an open stream is closed when it ends. */
  @IntVariable({ min: 60 })
  AUTH_TOKEN_TTL_SECONDS = 8 * 60 * 60;

  /**
   * The OpenID Provider's issuer (`https://login.example.com/realms/acme`), whose discovery document
   * `/.well-known/openid-configuration` says the rest. OpenID Connect sign-in is on when it is set,
   * together with `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET` and `PUBLIC_URL`. `http:` only on loopback.
   */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @Matches(/^(?:https:|http:\/\/(?:localhost|127\.[\d.]+|\[::1\])(?:[:/]|$))/, {
    message: 'must be an https URL (http only on localhost)',
  })
  OIDC_ISSUER_URL?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  @Secret()
  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** The server's address as the browser sees it (`https://issuecast.example.com`): the redirect URI's base. */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @Matches(/^[^?#]*[^/?#]$/, { message: 'must have no query, fragment or trailing slash' })
  PUBLIC_URL?: string;

  /** The sign-in button reads `Sign in with <name>`. */
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  OIDC_PROVIDER_NAME = 'SSO';

  /** The scopes asked for, space-separated; `openid` among them. */
  @Matches(/^(?:\S+ )*openid(?: \S+)*$/, { message: 'must be space-separated scopes, openid among them' })
  OIDC_SCOPES = 'openid profile email';

  /** The ID token claim that names the user; unset, `preferred_username`, then `email`, then `sub`. */
  @IsOptional()
  @Matches(/^[\w.:-]+$/, { message: 'must be a claim name' })
  OIDC_USERNAME_CLAIM?: string;

  /** Comma-separated groups, one of which the ID token's `groups` claim must hold; unset, any user may sign in. */
  @IsOptional()
  @Matches(/^[^,]+(,[^,]+)*$/, { message: 'must be groups, comma-separated' })
  OIDC_ALLOWED_GROUPS?: string;

  /** Comma-separated origins allowed to call the API from a browser; none by default. */
  @IsOptional()
  // An origin has no path, not even `/`: the browser's `Origin` header would never match one.
  @Matches(/^https?:\/\/[^,\s/]+(,https?:\/\/[^,\s/]+)*$/, {
    message: 'must be comma-separated http(s) origins, without a path or trailing slash',
  })
  CORS_ORIGINS?: string;

  /**
   * The proxies in front of the server whose `X-Forwarded-For`/`-Proto` count, as a number of hops or as
   * addresses and subnets (`loopback`, `10.0.0.0/8`, …), comma-separated. None by default: the client's
   * address is the socket's, so a header cannot dodge a per-IP limit.
   */
  @IsOptional()
  @IsTrustProxy()
  TRUST_PROXY?: string;

  /** The window the rate limits below count in. */
  @IntVariable({ min: 1_000 })
  RATE_LIMIT_WINDOW_MS = 60_000;

  /** Sign-in attempts per IP per window. */
  @IntVariable({ min: 1 })
  RATE_LIMIT_LOGINS = 10;

  /** Runs a user may start per window (each one costs model money). */
  @IntVariable({ min: 1 })
  RATE_LIMIT_RUN_STARTS = 30;

  /** Connection attempts to event streams per user per window. */
  @IntVariable({ min: 1 })
  RATE_LIMIT_STREAM_CONNECTS = 120;

  @IntVariable({ min: 1 })
  MAX_OPEN_STREAMS_PER_USER = 20;

  @IntVariable({ min: 1 })
  MAX_RUNNING_RUNS_PER_USER = 3;

  /**
   * Once stopping, how long the port stays open (readiness answering 503, new runs refused) until a
   * readiness probe has seen that 503. 0 (the default) stops at once.
   */
  @IntVariable({ min: 0 })
  SHUTDOWN_DRAIN_MS = 0;

  /** The bearer token a Prometheus scraper sends to `/api/metrics`; unset, only signed-in users read them. */
  @Secret()
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  METRICS_TOKEN?: string;
}

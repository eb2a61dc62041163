import { Transform, Type } from 'class-transformer';
import { join, resolve } from 'node:path';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { IsTrustProxy } from './is-trust-proxy';
import { generatedSigningSecret } from './signing-secret';

/** Which drafter writes the comment. */
export type LlmProviderName = 'openai' | 'offline';

/** The one user outside production when `AUTH_USERS` is unset. */
export const DEMO_USERS = 'demo:demo';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * The server's configuration, read from the environment once at boot by `loadConfig`.
 * Each property is documented with the variable it comes from.
 */
export class AppConfig {
  /** `NODE_ENV` */
  @IsIn(['development', 'production', 'test'])
  nodeEnv: 'development' | 'production' | 'test' = 'development';

  /** `PORT` */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  port = 3000;

  /** `HOST` */
  @IsString()
  @MinLength(1)
  host = '127.0.0.1';

  /** `DATA_DIR`: where the server keeps its state (the generated signing secret); `data/` where it starts. */
  @IsString()
  @MinLength(1)
  dataDir = resolve('data');

  /** `WEB_ROOT`: the built web app; by default where `npm run build` puts it beside the API's bundle. */
  @IsString()
  @MinLength(1)
  webRoot = join(__dirname, '..', 'web', 'browser');

  /** `LOG_LEVEL` */
  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
  logLevel = 'info';

  /** `LLM_PROVIDER`; defaults to `openai` when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set. */
  @IsIn(['openai', 'offline'])
  llmProvider: LlmProviderName = 'offline';

  /** `OPENAI_API_KEY` */
  @IsOptional()
  @IsString()
  openaiApiKey?: string;

  /** `OPENAI_BASE_URL`: any server that speaks the Chat Completions API (Ollama, vLLM, …). */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  openaiBaseUrl?: string;

  /** `OPENAI_MODEL` */
  @IsString()
  @MinLength(1)
  openaiModel = 'gpt-4o-mini';

  /** `OPENAI_TIMEOUT_MS`: the longest wait for the model's answer to start, or between two of its chunks. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  openaiTimeoutMs = 60_000;

  /** `OPENAI_MAX_RETRIES`: retries of a request that failed before the stream started (429, 5xx, network). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  openaiMaxRetries = 2;

  /**
   * `OPENAI_TOOLS`: whether the model is offered the repository tools (`true` or `false`). Turn it off
   * for a model or server without tool calling (the request would be refused).
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^(?:true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value,
  )
  @IsBoolean({ message: 'must be true or false' })
  openaiTools = true;

  /** `OFFLINE_LLM_DELAY_MS`: pause between two tokens of the offline drafter. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offlineLlmDelayMs = 15;

  /** `GITHUB_TOKEN` */
  @IsOptional()
  @IsString()
  githubToken?: string;

  /** `GITHUB_API_URL` (GitHub Enterprise: `https://HOST/api/v3`) */
  @IsUrl(URL_OPTIONS)
  githubApiUrl = 'https://api.github.com';

  /** `GITHUB_TIMEOUT_MS`: the longest wait for one GitHub request. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  githubTimeoutMs = 30_000;

  /**
   * `GITHUB_MAX_RETRIES`: retries of a GitHub read that failed with a 5xx or no answer, and of a
   * request refused by a rate limit that resets within seconds. A comment is never created twice:
   * before a new attempt, the issue is searched for the comment the failed one may have created.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  githubMaxRetries = 2;

  /** `GITHUB_RETRY_DELAY_MS`: the first wait before a retry; the next ones wait 4, then 9 times as long. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  githubRetryDelayMs = 1_000;

  /** `TOOLS_MAX_CALLS`: the most repository tool calls one run may make. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  toolsMaxCalls = 12;

  /** `TOOLS_MAX_BYTES`: the most bytes of the repository (files, listings, search results) one run may read. */
  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  toolsMaxBytes = 200_000;

  /** `TOOLS_TIME_LIMIT_MS`: how long a run may spend reading the repository before it must answer. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  toolsTimeLimitMs = 60_000;

  /** `SSE_HEARTBEAT_MS`: a comment line at least this often on every open stream. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  sseHeartbeatMs = 15_000;

  /** `SSE_RETRY_MS`: the reconnection delay suggested to clients. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  sseRetryMs = 3_000;

  /** `SSE_MAX_CONNECTION_MS`: a stream open this long is closed; the client resumes. */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  sseMaxConnectionMs = 30 * 60_000;

  /** `WORKFLOW_RETENTION_MS`: how long a finished run stays readable. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  workflowRetentionMs = 60 * 60_000;

  /**
   * `AUTH_USERS`: `name:password` pairs, comma-separated. Unset (only allowed on loopback, outside
   * production) means the one demo user `demo:demo`.
   */
  @IsOptional()
  @Matches(/^[^:,\s]+:[^,]+(,[^:,\s]+:[^,]+)*$/, { message: 'must be name:password pairs, comma-separated' })
  authUsers?: string;

  /**
   * `AUTH_JWT_SECRET`: signs session tokens. Unset (only allowed on loopback, outside production)
   * means one generated and kept in `DATA_DIR` by the server process, a random one per load elsewhere.
   */
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  authJwtSecret = generatedSigningSecret();

  /** `AUTH_TOKEN_TTL_SECONDS`: how long a sign-in lasts; an open stream is closed when it ends. */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  authTokenTtlSeconds = 8 * 60 * 60;

  /** `CORS_ORIGINS`: comma-separated origins allowed to call the API from a browser; none by default. */
  @IsOptional()
  // An origin has no path, not even `/`: the browser's `Origin` header would never match one.
  @Matches(/^https?:\/\/[^,\s/]+(,https?:\/\/[^,\s/]+)*$/, {
    message: 'must be comma-separated http(s) origins, without a path or trailing slash',
  })
  corsOrigins?: string;

  /**
   * `TRUST_PROXY`: the proxies in front of the server whose `X-Forwarded-For`/`-Proto` count, as a
   * number of hops or as addresses and subnets (`loopback`, `10.0.0.0/8`, …), comma-separated.
   * None by default: the client's address is the socket's, so a header cannot dodge a per-IP limit.
   */
  @IsOptional()
  @IsTrustProxy()
  trustProxy?: string;

  /** `RATE_LIMIT_WINDOW_MS`: the window the rate limits below count in. */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  rateLimitWindowMs = 60_000;

  /** `RATE_LIMIT_LOGINS`: sign-in attempts per IP per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  rateLimitLogins = 10;

  /** `RATE_LIMIT_RUN_STARTS`: runs a user may start per window (each one costs model money). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  rateLimitRunStarts = 30;

  /** `RATE_LIMIT_STREAM_CONNECTS`: connection attempts to event streams per user per window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  rateLimitStreamConnects = 120;

  /** `MAX_OPEN_STREAMS_PER_USER`: event streams one user may hold open at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  maxOpenStreamsPerUser = 20;

  /** `MAX_RUNNING_RUNS_PER_USER`: runs one user may have running at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  maxRunningRunsPerUser = 3;

  /** `WORKFLOW_MAX_EVENTS`: the most events one run may produce; past it the run fails. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  workflowMaxEvents = 50_000;

  /**
   * `SHUTDOWN_DRAIN_MS`: once stopping, how long the server keeps taking work, readiness answering
   * 503, until a readiness probe has seen that 503. 0 (the default) stops at once.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  shutdownDrainMs = 0;
}

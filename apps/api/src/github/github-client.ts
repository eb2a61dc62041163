import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GitHubConfig } from '../config/app-config';
import {
  describeGitHubError,
  type GitHubRequestContext,
  gitHubTimeoutFailure,
  toGitHubFailure,
} from './github-failure';
import { GITHUB_REQUEST, type GitHubRequestEvent, reportEachRequest } from './github-request-event';
import { withoutTrailingSlashes } from './trailing-slashes';

/**
 * The longest rate-limit wait worth taking inside a request; past it the request fails with the
 * reset time, since the user would rather know than wait for minutes.
 */
const MAX_RATE_LIMIT_WAIT_SECONDS = 10;
/** Statuses the retry plugin leaves alone: refusals that a retry cannot change, and rate limits (the throttling plugin's). */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

const GitHubOctokit = Octokit.plugin(reportEachRequest, retry, throttling);
type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

/** What every request is sent with: the caller's signal combined with the time limit. */
interface RequestOptions {
  signal: AbortSignal;
}

/**
 * GitHub (or GitHub Enterprise) through one Octokit client with the retry and throttling plugins:
 * reads are retried with backoff and short rate limits are waited out. Every request goes through
 * `call`, so every failure becomes a `GitHubFailure` whose message names what was asked and never
 * the token, and an aborted call rethrows the signal's reason.
 */
@Injectable()
export class GitHubClient {
  /** How often a failed request is tried again. */
  readonly maxRetries: number;
  /** The base of the backoff between tries. */
  readonly retryDelayMs: number;
  private readonly logger = new Logger(GitHubClient.name);
  private readonly octokit: GitHubOctokit;
  private readonly hasToken: boolean;
  private readonly timeoutMs: number;

  constructor(config: GitHubConfig, bus: EventEmitter2) {
    this.timeoutMs = config.timeoutMs;
    this.maxRetries = config.maxRetries;
    this.retryDelayMs = config.retryDelayMs;
    this.hasToken = Boolean(config.token);
    const waitForRateLimit = (
      retryAfterSeconds: number,
      options: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      const wait = retryCount < this.maxRetries && retryAfterSeconds <= MAX_RATE_LIMIT_WAIT_SECONDS;
      this.logger.warn(
        `GitHub rate limit on ${options.method} ${options.url}: ${wait ? `retrying in ${retryAfterSeconds} s` : 'giving up'}`,
      );
      return wait;
    };
    this.octokit = new GitHubOctokit({
      // A trailing slash would double the one every route starts with (`…/api/v3//repos/…`).
      baseUrl: withoutTrailingSlashes(config.apiUrl),
      auth: config.token || undefined,
      userAgent: 'issuecast',
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => this.logger.warn(message),
        // Octokit logs every failed request here; `call` logs each failure once, with what it meant.
        error: (message: string) => this.logger.debug(message),
      },
      request: { fetch: fetchWithPlainAborts },
      onRequest: (event: GitHubRequestEvent) => bus.emit(GITHUB_REQUEST, event),
      retry: { retries: this.maxRetries, retryAfterBaseValue: this.retryDelayMs, doNotRetry: DO_NOT_RETRY },
      throttle: {
        // The plugin's limiters (one write a second, one search every two) are shared by every client
        // in the process under this id; each client keeps its own pace.
        id: randomUUID(),
        onRateLimit: waitForRateLimit,
        onSecondaryRateLimit: waitForRateLimit,
      },
    });
  }

  /**
   * Sends one request with the time limit and the caller's signal, and turns what fails into a
   * `GitHubFailure` (logged for the operator) or, when the caller aborted, the signal's reason.
   */
  async call<T>(
    context: GitHubRequestContext,
    signal: AbortSignal,
    send: (octokit: GitHubOctokit, request: RequestOptions) => Promise<T>,
  ): Promise<T> {
    signal.throwIfAborted();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    let stop: () => void = () => undefined;
    // A retry may be waiting out its backoff; an abort must not wait for it.
    const aborted = new Promise<never>((_resolve, reject) => {
      stop = () => reject(new Error('The request was aborted'));
      combined.addEventListener('abort', stop, { once: true });
    });
    try {
      const sent = send(this.octokit, { signal: combined });
      sent.catch(() => undefined);
      return await Promise.race([sent, aborted]);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const failure = timeout.aborted
        ? gitHubTimeoutFailure(context, this.timeoutMs, error)
        : toGitHubFailure(error, context, this.hasToken);
      this.logger.warn(
        `${capitalize(context.action)} failed (${describeGitHubError(error)}): ${failure.message}`,
      );
      throw failure;
    } finally {
      combined.removeEventListener('abort', stop);
    }
  }

  /** Waits `ms` unless `signal` aborts first, in which case its reason is thrown. */
  async pause(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await sleep(ms, undefined, { signal });
    } catch (error) {
      signal.throwIfAborted();
      throw error;
    }
  }
}

/**
 * `fetch`, except that an aborted request rejects with an `AbortError`: Node's fetch rejects with
 * the signal's reason instead, which `@octokit/request` would take for a network failure and the
 * retry plugin would retry.
 */
const fetchWithPlainAborts: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (error) {
    // A plain Error named so: `@octokit/request` checks `instanceof Error`, which a DOMException from
    // another realm (as under Jest) would fail.
    if (init?.signal?.aborted)
      throw Object.assign(new Error('The request was aborted'), { name: 'AbortError' });
    throw error;
  }
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

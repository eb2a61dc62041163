import { Injectable, Logger } from '@nestjs/common';
import { Octokit } from '@octokit/rest';
import { AppConfig } from '../config/app-config';
import type { IssueToDraft } from '../llm/llm-provider';
import { RunFailure } from '../workflows/run-failure';

/** What an Octokit `RequestError` carries; checked by shape so no transitive package is imported. */
interface GitHubHttpError {
  status: number;
  response?: { headers: Record<string, string | number | undefined> };
}

/**
 * Reads issues from GitHub (or GitHub Enterprise) through one Octokit client. Every failure
 * becomes a `RunFailure` with code `github_failed` and a message that names the issue and never
 * the token; an aborted call rethrows the signal's reason.
 */
@Injectable()
export class GitHubService {
  private readonly logger = new Logger(GitHubService.name);
  private readonly octokit: Octokit;
  private readonly hasToken: boolean;

  private readonly timeoutMs: number;

  constructor(config: AppConfig) {
    this.timeoutMs = config.githubTimeoutMs;
    this.hasToken = Boolean(config.githubToken);
    this.octokit = new Octokit({
      // A trailing slash would double the one every route starts with (`…/api/v3//repos/…`).
      baseUrl: config.githubApiUrl.replace(/\/+$/, ''),
      auth: config.githubToken || undefined,
      userAgent: 'issuecast',
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message) => this.logger.warn(message),
        error: (message) => this.logger.error(message),
      },
    });
  }

  /** The issue (or pull request) `issueNumber` of `repository` (`owner/name`), ready to draft a comment on. */
  async getIssue(repository: string, issueNumber: number, signal: AbortSignal): Promise<IssueToDraft> {
    const issueRef = `${repository}#${issueNumber}`;
    const [owner, repo, ...rest] = repository.split('/');
    if (!owner || !repo || rest.length > 0 || !Number.isSafeInteger(issueNumber) || issueNumber < 1) {
      throw new RunFailure(
        'github_failed',
        `"${issueRef}" is not an issue in the form owner/name#number.`,
        false,
      );
    }

    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      const { data } = await this.octokit.rest.issues.get({
        owner,
        repo,
        issue_number: issueNumber,
        request: { signal: AbortSignal.any([signal, timeout]) },
      });
      return {
        title: data.title,
        body: data.body ?? '',
        repository,
        number: data.number,
        url: data.html_url,
        author: data.user?.login,
        labels: data.labels
          .map((label) => (typeof label === 'string' ? label : (label.name ?? '')))
          .filter(Boolean),
      };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const failure = timeout.aborted
        ? new RunFailure(
            'github_failed',
            `GitHub did not answer within ${Math.ceil(this.timeoutMs / 1000)} s while fetching ${issueRef}. Try again later.`,
            true,
            { cause: error },
          )
        : this.toFailure(error, repository, issueRef);
      this.logger.warn(`Fetching ${issueRef} failed (${describeStatus(error)}): ${failure.message}`);
      throw failure;
    }
  }

  private toFailure(error: unknown, repository: string, issueRef: string): RunFailure {
    const fail = (message: string, retryable: boolean) =>
      new RunFailure('github_failed', message, retryable, { cause: error });
    if (!isHttpError(error) || !error.response) {
      return fail(`GitHub could not be reached while fetching ${issueRef}. Try again later.`, true);
    }
    const headers = error.response.headers;
    const { status } = error;

    if (
      (status === 403 || status === 429) &&
      (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined)
    ) {
      const resetsAt = rateLimitResetTime(headers);
      return fail(
        `GitHub's rate limit was reached while fetching ${issueRef}; ${resetsAt ? `it resets at ${resetsAt}` : 'try again later'}.`,
        true,
      );
    }
    switch (status) {
      case 401:
        return this.hasToken
          ? fail(`GitHub rejected the configured token (GITHUB_TOKEN) while fetching ${issueRef}.`, false)
          : fail(`GitHub requires a token (GITHUB_TOKEN) to fetch ${issueRef}.`, false);
      case 403:
        return fail(
          `GitHub refused access to ${issueRef}${this.hasToken ? ' for the configured token' : ''}.`,
          false,
        );
      case 404:
        return fail(
          this.hasToken
            ? `${issueRef} was not found, or it is not visible to the configured token.`
            : `${issueRef} was not found, or it is private and no GitHub token (GITHUB_TOKEN) is configured.`,
          false,
        );
      case 410:
        return fail(`${issueRef} is gone: it was deleted, or issues are disabled in ${repository}.`, false);
      default:
        return status >= 500
          ? fail(
              `GitHub could not be reached while fetching ${issueRef} (status ${status}). Try again later.`,
              true,
            )
          : fail(`GitHub refused the request for ${issueRef} (status ${status}).`, false);
    }
  }
}

function isHttpError(error: unknown): error is GitHubHttpError {
  return error instanceof Error && typeof (error as Partial<GitHubHttpError>).status === 'number';
}

function describeStatus(error: unknown): string {
  if (!isHttpError(error) || !error.response) return 'no answer';
  const requestId = error.response.headers['x-github-request-id'];
  return `status ${error.status}${requestId ? `, request id ${requestId}` : ''}`;
}

/**
 * When a rate limit lets requests through again, as an ISO time without milliseconds. GitHub's
 * documented order: a `retry-after` (secondary limits) wins over `x-ratelimit-reset` (primary).
 */
function rateLimitResetTime(headers: Record<string, string | number | undefined>): string | undefined {
  const retryAfter = headers['retry-after'];
  const reset = headers['x-ratelimit-reset'];
  let resetMs: number | undefined;
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    resetMs = Number.isFinite(seconds) ? Date.now() + seconds * 1000 : Date.parse(String(retryAfter));
  } else if (reset !== undefined) {
    resetMs = Number(reset) * 1000;
  }
  return resetMs !== undefined && Number.isFinite(resetMs)
    ? new Date(resetMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
    : undefined;
}

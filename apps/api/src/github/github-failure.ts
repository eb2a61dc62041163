import { RunFailure } from '../run-failure/run-failure';

/** What a failed GitHub request was about, for a message a user can act on. */
export interface GitHubRequestContext {
  /** What was being done: `fetching acme/widgets#7`. */
  action: string;
  /** What was asked for: `acme/widgets#7`, `src/app.ts in acme/widgets`. */
  subject: string;
  repository: string;
  /** The token permission the request needs, as GitHub names it: `Issues: write`. */
  permission: string;
}

/** What an Octokit `RequestError` carries; checked by shape so no transitive package is imported. */
interface GitHubHttpError {
  status: number;
  response?: { headers: Record<string, string | number | undefined>; data?: unknown };
}

export interface GitHubFailureDetails extends ErrorOptions {
  retryable: boolean;
  /** GitHub's status code; absent when no answer came. A request refused before it is sent carries the status GitHub would answer. */
  status?: number;
  rateLimited?: boolean;
  /** When the rate limit lets requests through again. */
  resetsAt?: Date;
}

/**
 * A GitHub request that failed, as a `RunFailure` (code `github_failed`) whose message names what
 * was asked and never the token.
 */
export class GitHubFailure extends RunFailure {
  readonly status?: number;
  readonly rateLimited: boolean;
  readonly resetsAt?: Date;

  constructor(
    message: string,
    { retryable, status, rateLimited = false, resetsAt, ...options }: GitHubFailureDetails,
  ) {
    super('github_failed', message, retryable, options);
    this.status = status;
    this.rateLimited = rateLimited;
    this.resetsAt = resetsAt;
  }

  /** Whether GitHub may have done what was asked: no answer, or a server error. */
  get outcomeUnknown(): boolean {
    return this.status === undefined || this.status >= 500;
  }
}

/** The failure of a request GitHub did not answer within `timeoutMs`. */
export function gitHubTimeoutFailure(
  context: GitHubRequestContext,
  timeoutMs: number,
  cause: unknown,
): GitHubFailure {
  return new GitHubFailure(
    `GitHub did not answer within ${Math.ceil(timeoutMs / 1000)} s while ${context.action}. Try again later.`,
    { retryable: true, cause },
  );
}

/** Turns what Octokit threw into a failure fit to show a user. */
export function toGitHubFailure(
  error: unknown,
  context: GitHubRequestContext,
  hasToken: boolean,
): GitHubFailure {
  const { action, subject, repository, permission } = context;
  if (!isHttpError(error) || !error.response) {
    return new GitHubFailure(`GitHub could not be reached while ${action}. Try again later.`, {
      retryable: true,
      cause: error,
    });
  }
  const { status } = error;
  const { headers, data } = error.response;
  const fail = (message: string, retryable: boolean) =>
    new GitHubFailure(message, { retryable, status, cause: error });
  const said = gitHubMessage(data);

  if (isRateLimited(status, headers, said)) {
    const resetsAt = rateLimitReset(headers);
    return new GitHubFailure(
      `GitHub's rate limit was reached while ${action}; ${resetsAt ? `it resets at ${isoSeconds(resetsAt)}` : 'try again later'}.`,
      { retryable: true, status, rateLimited: true, resetsAt, cause: error },
    );
  }
  switch (status) {
    case 401:
      return hasToken
        ? fail(`GitHub rejected the configured token (GITHUB_TOKEN) while ${action}.`, false)
        : fail(`GitHub requires a token (GITHUB_TOKEN) for ${action}.`, false);
    case 403:
      if (/not accessible by integration/i.test(said ?? '')) {
        return fail(
          `GitHub refused ${action}: the GitHub App behind the token is not installed on ${repository} or lacks the "${permission}" permission (GitHub said: "${said}").`,
          false,
        );
      }
      if (/not accessible by personal access token/i.test(said ?? '')) {
        return fail(
          `GitHub refused ${action}: the token (GITHUB_TOKEN) lacks the "${permission}" permission on ${repository} (GitHub said: "${said}").`,
          false,
        );
      }
      return fail(
        `GitHub refused access to ${subject}${hasToken ? ' for the configured token' : ''}${said ? ` (GitHub said: "${said}")` : ''}.`,
        false,
      );
    case 404:
      return fail(
        hasToken
          ? `${subject} was not found, or it is not visible to the configured token.`
          : `${subject} was not found, or it is private and no GitHub token (GITHUB_TOKEN) is configured.`,
        false,
      );
    case 410:
      return fail(`${subject} is gone: it was deleted, or issues are disabled in ${repository}.`, false);
    case 422:
      return fail(`GitHub refused ${action} as invalid${said ? ` (GitHub said: "${said}")` : ''}.`, false);
    default:
      return status >= 500
        ? fail(`GitHub could not be reached while ${action} (status ${status}). Try again later.`, true)
        : fail(`GitHub refused the request for ${subject} (status ${status}).`, false);
  }
}

/** The status and request id of a failed request, for the operator's log. */
export function describeGitHubError(error: unknown): string {
  if (!isHttpError(error) || !error.response) return 'no answer';
  const requestId = error.response.headers['x-github-request-id'];
  return `status ${error.status}${requestId ? `, request id ${requestId}` : ''}`;
}

function isHttpError(error: unknown): error is GitHubHttpError {
  return error instanceof Error && typeof (error as Partial<GitHubHttpError>).status === 'number';
}

function isRateLimited(
  status: number,
  headers: Record<string, string | number | undefined>,
  said: string | undefined,
): boolean {
  if (status === 429) return true;
  return (
    status === 403 &&
    (String(headers['x-ratelimit-remaining']) === '0' ||
      headers['retry-after'] !== undefined ||
      /rate limit/i.test(said ?? ''))
  );
}

/**
 * GitHub's `message`, on one line and short: it names what GitHub refused, never a credential.
 * A 422 adds the reasons in `errors`.
 */
function gitHubMessage(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  if (typeof message !== 'string' || !message.trim()) return undefined;
  const reasons = Array.isArray(errors)
    ? errors
        .map((reason: unknown) =>
          typeof reason === 'string'
            ? reason
            : typeof (reason as { message?: unknown })?.message === 'string'
              ? (reason as { message: string }).message
              : undefined,
        )
        .filter((reason): reason is string => Boolean(reason))
    : [];
  const text = [message, ...reasons].join(': ').replace(/\s+/g, ' ').trim();
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`;
}

/**
 * When a rate limit lets requests through again. GitHub's documented order: a `retry-after`
 * (secondary limits) wins over `x-ratelimit-reset` (primary).
 */
function rateLimitReset(headers: Record<string, string | number | undefined>): Date | undefined {
  const retryAfter = headers['retry-after'];
  const reset = headers['x-ratelimit-reset'];
  let resetMs: number | undefined;
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    resetMs = Number.isFinite(seconds) ? Date.now() + seconds * 1000 : Date.parse(String(retryAfter));
  } else if (reset !== undefined) {
    resetMs = Number(reset) * 1000;
  }
  return resetMs !== undefined && Number.isFinite(resetMs) ? new Date(resetMs) : undefined;
}

/** An ISO time without milliseconds: `2030-01-01T00:00:00Z`. */
export function isoSeconds(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

import { Injectable, Logger } from '@nestjs/common';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GitHubConfig } from '../config/app-config';
import { withoutTrailingSlashes } from './trailing-slashes';
import type { IssueComment, IssueToDraft } from '../llm/llm-provider';
import type { RepositoryTools } from '../llm/repository-tools';
import {
  describeGitHubError,
  GitHubFailure,
  type GitHubRequestContext,
  gitHubTimeoutFailure,
  toGitHubFailure,
} from './github-failure';
import { GitHubRepositoryTools } from './github-repository-tools';
import { repositorySegments } from './repository-name';

/** How many of an issue's most recent comments go to the model. */
export const RECENT_COMMENTS = 10;
/** The longest comment GitHub accepts. */
export const MAX_COMMENT_CHARS = 65_536;
/** The most pages of comments (newest first) searched for a run's marker before posting. */
const MAX_MARKER_PAGES = 10;
const COMMENTS_PER_PAGE = 100;
/**
 * The longest rate-limit wait worth taking inside a request; past it the request fails with the
 * reset time, since the user would rather know than wait for minutes.
 */
const MAX_RATE_LIMIT_WAIT_SECONDS = 10;
/** Statuses the retry plugin leaves alone: refusals that a retry cannot change, and rate limits (the throttling plugin's). */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

const GitHubOctokit = Octokit.plugin(retry, throttling);
type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

/** An entry of a repository's file tree. */
export interface TreeFile {
  path: string;
  size: number;
}

/** What the contents API answers for a path. */
export type RepositoryEntry =
  | {
      kind: 'file';
      size: number;
      /** Absent when the file is too large for the contents API (1 MB). */ content?: Buffer;
    }
  | { kind: 'directory' }
  | { kind: 'other'; type: string };

/** One file that code search found, with the fragments that matched. */
export interface CodeSearchHit {
  path: string;
  fragments: string[];
}

/**
 * GitHub (or GitHub Enterprise) through one Octokit client with the retry and throttling plugins:
 * reads are retried with backoff, short rate limits are waited out, and a comment is created at
 * most once per marker. Every failure becomes a `GitHubFailure` whose message names what was asked
 * and never the token; an aborted call rethrows the signal's reason.
 */
@Injectable()
export class GitHubService {
  private readonly logger = new Logger(GitHubService.name);
  private readonly octokit: GitHubOctokit;
  private readonly hasToken: boolean;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;

  constructor(config: GitHubConfig) {
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
   * The issue (or pull request) `issueNumber` of `repository` (`owner/name`), with its labels, author
   * and most recent comments, ready to draft a comment on.
   */
  async getIssue(repository: string, issueNumber: number, signal: AbortSignal): Promise<IssueToDraft> {
    const issueRef = `${repository}#${issueNumber}`;
    const context = this.contextOf(repository, `fetching ${issueRef}`, issueRef, 'Issues: read');
    const { owner, repo } = this.split(repository, issueNumber);
    const { data } = await this.call(context, signal, (request) =>
      this.octokit.rest.issues.get({ owner, repo, issue_number: issueNumber, request }),
    );
    const comments =
      data.comments > 0
        ? await this.recentComments({ owner, repo, issueNumber, count: data.comments }, context, signal)
        : [];
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
      comments,
      commentCount: data.comments,
    };
  }

  /**
   * Posts `body` on the issue with `marker` (an HTML comment) at its end, once: when a comment
   * ending with the marker is already there, its URL is returned and nothing is created. A create
   * whose outcome is unknown (no answer, or a 5xx) is retried only after looking for the marker
   * again. Answers the comment's `html_url`.
   */
  async postComment(
    repository: string,
    issueNumber: number,
    body: string,
    marker: string,
    signal: AbortSignal,
  ): Promise<string> {
    const issueRef = `${repository}#${issueNumber}`;
    const context = this.contextOf(repository, `posting a comment on ${issueRef}`, issueRef, 'Issues: write');
    const { owner, repo } = this.split(repository, issueNumber);
    const marked = `${body}\n\n${marker}`;
    if (marked.length > MAX_COMMENT_CHARS) {
      throw new GitHubFailure(
        `The comment is ${body.length.toLocaleString('en')} characters long; GitHub takes at most ${MAX_COMMENT_CHARS.toLocaleString('en')}.`,
        { retryable: false, status: 422 },
      );
    }
    for (let attempt = 0; ; attempt++) {
      const existing = await this.findMarkedComment({ owner, repo, issueNumber }, marker, context, signal);
      if (existing) return existing;
      try {
        const { data } = await this.call(context, signal, (request) =>
          this.octokit.rest.issues.createComment({
            owner,
            repo,
            issue_number: issueNumber,
            body: marked,
            // Not retried blindly: GitHub may have created it. The loop looks for the marker first.
            request: { ...request, retries: 0 },
          }),
        );
        return data.html_url;
      } catch (error) {
        if (!(error instanceof GitHubFailure) || !error.outcomeUnknown || attempt >= this.maxRetries)
          throw error;
        this.logger.warn(
          `Posting on ${issueRef} may have failed; looking for the comment before trying again`,
        );
        await this.pause((attempt + 1) ** 2 * this.retryDelayMs, signal);
      }
    }
  }

  /** The tools through which a model reads `repository` (`owner/name`), for one run. */
  repositoryTools(repository: string): RepositoryTools {
    return new GitHubRepositoryTools(this, repository);
  }

  /** The default branch of `repository`. */
  async defaultBranch(repository: string, signal: AbortSignal): Promise<string> {
    const context = this.contextOf(repository, `reading ${repository}`, repository, 'Contents: read');
    const { owner, repo } = this.split(repository);
    const { data } = await this.call(context, signal, (request) =>
      this.octokit.rest.repos.get({ owner, repo, request }),
    );
    return data.default_branch;
  }

  /** Every file of `repository` at `ref`; `truncated` when GitHub left some out (very large trees). */
  async fileTree(
    repository: string,
    ref: string,
    signal: AbortSignal,
  ): Promise<{ files: TreeFile[]; truncated: boolean }> {
    const context = this.contextOf(
      repository,
      `listing the files of ${repository}`,
      repository,
      'Contents: read',
    );
    const { owner, repo } = this.split(repository);
    const { data } = await this.call(context, signal, (request) =>
      this.octokit.rest.git.getTree({ owner, repo, tree_sha: ref, recursive: '1', request }),
    );
    const files = data.tree
      .filter((entry) => entry.type === 'blob' && entry.path)
      .map((entry) => ({ path: entry.path, size: entry.size ?? 0 }));
    return { files, truncated: data.truncated };
  }

  /** What is at `path` in `repository` at `ref`. */
  async contentAt(
    repository: string,
    path: string,
    ref: string,
    signal: AbortSignal,
  ): Promise<RepositoryEntry> {
    const subject = `${path} in ${repository}`;
    const context = this.contextOf(repository, `reading ${subject}`, subject, 'Contents: read');
    const { owner, repo } = this.split(repository);
    const { data } = await this.call(context, signal, (request) =>
      this.octokit.rest.repos.getContent({ owner, repo, path, ref, request }),
    );
    if (Array.isArray(data)) return { kind: 'directory' };
    if (data.type !== 'file') return { kind: 'other', type: data.type };
    const encoded = 'content' in data ? data.content : undefined;
    const encoding = 'encoding' in data ? data.encoding : undefined;
    const content =
      encoding === 'base64' && (encoded || data.size === 0)
        ? Buffer.from(encoded ?? '', 'base64')
        : undefined;
    return { kind: 'file', size: data.size, content };
  }

  /** Code search inside `repository`: how many files match `query`, and the first `limit` of them. */
  async searchCode(
    repository: string,
    query: string,
    limit: number,
    signal: AbortSignal,
  ): Promise<{ total: number; incomplete: boolean; hits: CodeSearchHit[] }> {
    const context = this.contextOf(
      repository,
      `searching the code of ${repository}`,
      repository,
      'Contents: read',
    );
    this.split(repository);
    const { data } = await this.call(context, signal, (request) =>
      this.octokit.rest.search.code({
        q: `${query} repo:${repository}`,
        per_page: limit,
        // Asks for the matching fragments (`text_matches`) along with the paths.
        headers: { accept: 'application/vnd.github.text-match+json' },
        request,
      }),
    );
    return {
      total: data.total_count,
      incomplete: data.incomplete_results,
      hits: data.items.slice(0, limit).map((item) => ({
        path: item.path,
        fragments: (item.text_matches ?? [])
          .map((match) => match.fragment)
          .filter((fragment): fragment is string => Boolean(fragment)),
      })),
    };
  }

  /** The last `RECENT_COMMENTS` comments, oldest first, read from the last pages. */
  private async recentComments(
    issue: { owner: string; repo: string; issueNumber: number; count: number },
    context: GitHubRequestContext,
    signal: AbortSignal,
  ): Promise<IssueComment[]> {
    const lastPage = Math.ceil(issue.count / RECENT_COMMENTS);
    const pages = issue.count % RECENT_COMMENTS !== 0 && lastPage > 1 ? [lastPage - 1, lastPage] : [lastPage];
    const comments: IssueComment[] = [];
    for (const page of pages) {
      const { data } = await this.call(context, signal, (request) =>
        this.octokit.rest.issues.listComments({
          owner: issue.owner,
          repo: issue.repo,
          issue_number: issue.issueNumber,
          per_page: RECENT_COMMENTS,
          page,
          request,
        }),
      );
      comments.push(
        ...data.map((comment) => ({
          author: comment.user?.login,
          createdAt: comment.created_at,
          body: comment.body ?? '',
        })),
      );
    }
    return comments.slice(-RECENT_COMMENTS);
  }

  /** The URL of the newest comment that ends with `marker`, searching the newest pages first. */
  private async findMarkedComment(
    issue: { owner: string; repo: string; issueNumber: number },
    marker: string,
    postContext: GitHubRequestContext,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const context = {
      ...postContext,
      action: `looking for the comment already posted on ${postContext.subject}`,
    };
    const list = (page: number) =>
      this.call(context, signal, (request) =>
        this.octokit.rest.issues.listComments({
          owner: issue.owner,
          repo: issue.repo,
          issue_number: issue.issueNumber,
          per_page: COMMENTS_PER_PAGE,
          page,
          request,
        }),
      );
    const marked = (comments: { body?: string | null; html_url: string }[]) =>
      comments.findLast((comment) => comment.body?.trimEnd().endsWith(marker))?.html_url;

    const first = await list(1);
    const lastPage = lastPageOf(first.headers.link) ?? 1;
    for (let page = lastPage; page > 1 && page > lastPage - MAX_MARKER_PAGES; page--) {
      const found = marked((await list(page)).data);
      if (found) return found;
    }
    return lastPage <= MAX_MARKER_PAGES ? marked(first.data) : undefined;
  }

  /**
   * Runs one request with the time limit and the caller's signal, and turns what fails into a
   * `GitHubFailure` (logged for the operator) or, when the caller aborted, the signal's reason.
   */
  private async call<T>(
    context: GitHubRequestContext,
    signal: AbortSignal,
    send: (request: { signal: AbortSignal }) => Promise<T>,
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
      const sent = send({ signal: combined });
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

  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await sleep(ms, undefined, { signal });
    } catch (error) {
      signal.throwIfAborted();
      throw error;
    }
  }

  private contextOf(
    repository: string,
    action: string,
    subject: string,
    permission: string,
  ): GitHubRequestContext {
    return { repository, action, subject, permission };
  }

  /** `owner` and `repo` of `owner/name`; a malformed one is refused without asking GitHub. */
  private split(repository: string, issueNumber?: number): { owner: string; repo: string } {
    const segments = repositorySegments(repository);
    const badNumber = issueNumber !== undefined && (!Number.isSafeInteger(issueNumber) || issueNumber < 1);
    if (!segments || badNumber) {
      const ref = issueNumber === undefined ? repository : `${repository}#${issueNumber}`;
      throw new GitHubFailure(
        `"${ref}" is not ${issueNumber === undefined ? 'a repository in the form owner/name' : 'an issue in the form owner/name#number'}.`,
        { retryable: false, status: 422 },
      );
    }
    return segments;
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

/** The `page` of the `rel="last"` link of a paginated answer. */
function lastPageOf(link: string | undefined): number | undefined {
  const last = link?.split(',').find((part) => /;\s*rel="last"/.test(part));
  const target = last?.slice(last.indexOf('<') + 1, last.indexOf('>'));
  const page = target ? URL.parse(target)?.searchParams.get('page') : undefined;
  return page && /^\d+$/.test(page) ? Number(page) : undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

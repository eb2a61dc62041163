import { Injectable, Logger } from '@nestjs/common';
import type { IssueComment, IssueToDraft } from '../llm/llm-provider';
import { GitHubClient } from './github-client';
import { GitHubFailure, type GitHubRequestContext } from './github-failure';
import { ownerAndRepo } from './repository-name';

/** How many of an issue's most recent comments go to the model. */
export const RECENT_COMMENTS = 10;
/** The longest comment GitHub accepts. */
const MAX_COMMENT_CHARS = 65_536;
/** The most pages of comments (newest first) searched for a run's marker before posting. */
const MAX_MARKER_PAGES = 10;
const COMMENTS_PER_PAGE = 100;

interface IssueKey {
  owner: string;
  repo: string;
  issueNumber: number;
}

/** A repository's issues and their comments; a comment is created at most once per marker. */
@Injectable()
export class GitHubIssues {
  private readonly logger = new Logger(GitHubIssues.name);

  constructor(private readonly client: GitHubClient) {}

  /**
   * The issue (or pull request) `issueNumber` of `repository` (`owner/name`), with its labels, author
   * and most recent comments, ready to draft a comment on.
   */
  async getIssue(repository: string, issueNumber: number, signal: AbortSignal): Promise<IssueToDraft> {
    const issueRef = `${repository}#${issueNumber}`;
    const context = {
      repository,
      action: `fetching ${issueRef}`,
      subject: issueRef,
      permission: 'Issues: read',
    };
    const issue = { ...ownerAndRepo(repository, issueNumber), issueNumber };
    const { data } = await this.client.call(context, signal, (octokit, request) =>
      octokit.rest.issues.get({ owner: issue.owner, repo: issue.repo, issue_number: issueNumber, request }),
    );
    const comments =
      data.comments > 0 ? await this.recentComments(issue, data.comments, context, signal) : [];
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
    const context = {
      repository,
      action: `posting a comment on ${issueRef}`,
      subject: issueRef,
      permission: 'Issues: write',
    };
    const issue = { ...ownerAndRepo(repository, issueNumber), issueNumber };
    const marked = `${body}\n\n${marker}`;
    if (marked.length > MAX_COMMENT_CHARS) {
      throw new GitHubFailure(
        `The comment is ${body.length.toLocaleString('en')} characters long; GitHub takes at most ${MAX_COMMENT_CHARS.toLocaleString('en')}.`,
        { retryable: false, status: 422 },
      );
    }
    for (let attempt = 0; ; attempt++) {
      const existing = await this.findMarkedComment(issue, marker, context, signal);
      if (existing) return existing;
      try {
        const { data } = await this.client.call(context, signal, (octokit, request) =>
          octokit.rest.issues.createComment({
            owner: issue.owner,
            repo: issue.repo,
            issue_number: issueNumber,
            body: marked,
            // Not retried blindly: GitHub may have created it. The loop looks for the marker first.
            request: { ...request, retries: 0 },
          }),
        );
        return data.html_url;
      } catch (error) {
        const { maxRetries, retryDelayMs } = this.client;
        if (!(error instanceof GitHubFailure) || !error.outcomeUnknown || attempt >= maxRetries) throw error;
        this.logger.warn(
          `Posting on ${issueRef} may have failed; looking for the comment before trying again`,
        );
        await this.client.pause((attempt + 1) ** 2 * retryDelayMs, signal);
      }
    }
  }

  /** The last `RECENT_COMMENTS` of the issue's `count` comments, oldest first, read from the last pages. */
  private async recentComments(
    issue: IssueKey,
    count: number,
    context: GitHubRequestContext,
    signal: AbortSignal,
  ): Promise<IssueComment[]> {
    const lastPage = Math.ceil(count / RECENT_COMMENTS);
    const pages = count % RECENT_COMMENTS !== 0 && lastPage > 1 ? [lastPage - 1, lastPage] : [lastPage];
    const comments: IssueComment[] = [];
    for (const page of pages) {
      const { data } = await this.listComments(issue, { page, perPage: RECENT_COMMENTS }, context, signal);
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
    issue: IssueKey,
    marker: string,
    postContext: GitHubRequestContext,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const context = {
      ...postContext,
      action: `looking for the comment already posted on ${postContext.subject}`,
    };
    const list = (page: number) =>
      this.listComments(issue, { page, perPage: COMMENTS_PER_PAGE }, context, signal);
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

  private listComments(
    issue: IssueKey,
    { page, perPage }: { page: number; perPage: number },
    context: GitHubRequestContext,
    signal: AbortSignal,
  ) {
    return this.client.call(context, signal, (octokit, request) =>
      octokit.rest.issues.listComments({
        owner: issue.owner,
        repo: issue.repo,
        issue_number: issue.issueNumber,
        per_page: perPage,
        page,
        request,
      }),
    );
  }
}

/** The `page` of the `rel="last"` link of a paginated answer. */
function lastPageOf(link: string | undefined): number | undefined {
  const last = link?.split(',').find((part) => /;\s*rel="last"/.test(part));
  const target = last?.slice(last.indexOf('<') + 1, last.indexOf('>'));
  const page = target ? URL.parse(target)?.searchParams.get('page') : undefined;
  return page && /^\d+$/.test(page) ? Number(page) : undefined;
}

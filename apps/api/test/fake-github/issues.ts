import { errorAnswer, paginate, type Route, validationFailed } from './answers';
import { type FakeUrls, userJson } from './users';

/** An issue (or pull request) as a test describes it; the fake fills in the rest of GitHub's fields. */
export interface FakeIssue {
  number: number;
  title: string;
  body?: string | null;
  author?: string;
  labels?: string[];
  state?: 'open' | 'closed';
  /** Served like GitHub serves a pull request through the issues API: with a `pull_request` object. */
  pullRequest?: boolean;
}

/** A comment as a test describes it. */
export interface FakeComment {
  body: string;
  author?: string;
  createdAt?: string;
}

export type GitHubIssueJson = ReturnType<typeof issueJson>;
export type GitHubCommentJson = ReturnType<typeof commentJson>;

const FIXED_TIME = '2024-05-01T12:00:00Z';
const MAX_COMMENT_CHARS = 65_536;

/** The issues of every repository and their comments, with the routes that read and create them. */
export class FakeIssues {
  /** By lower-cased `owner/name#number`, since GitHub's names are case-insensitive. */
  private readonly issues = new Map<string, GitHubIssueJson>();
  private readonly comments = new Map<string, GitHubCommentJson[]>();
  private nextCommentId = 4_000_001;

  constructor(private readonly urls: FakeUrls) {}

  add(repository: string, issue: FakeIssue): GitHubIssueJson {
    const json = issueJson(this.urls, repository, issue);
    const key = keyOf(repository, issue.number);
    this.issues.set(key, json);
    this.comments.set(key, []);
    return json;
  }

  addComment(repository: string, issueNumber: number, comment: FakeComment): GitHubCommentJson {
    const key = keyOf(repository, issueNumber);
    const issue = this.issues.get(key);
    if (!issue) throw new Error(`No issue ${key}: add it first`);
    return this.store(key, issue, comment);
  }

  commentsOf(repository: string, issueNumber: number): readonly GitHubCommentJson[] {
    return this.comments.get(keyOf(repository, issueNumber)) ?? [];
  }

  routes(): Route[] {
    const issueOf = (owner: string, repo: string, number: string) => {
      const key = keyOf(`${owner}/${repo}`, Number(number));
      return { key, issue: this.issues.get(key) };
    };
    return [
      {
        method: 'GET',
        pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
        answer: ([owner, repo, number]) => {
          const { issue } = issueOf(owner, repo, number);
          return issue
            ? { status: 200, body: issue }
            : errorAnswer(404, { docs: 'issues/issues#get-an-issue' });
        },
      },
      {
        method: 'GET',
        pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
        answer: ([owner, repo, number], request) => {
          const { key, issue } = issueOf(owner, repo, number);
          if (!issue) return errorAnswer(404, { docs: 'issues/comments#list-issue-comments' });
          const since = request.query.get('since');
          const comments = (this.comments.get(key) ?? []).filter(
            (comment) => !since || comment.updated_at >= since,
          );
          return paginate(this.urls.apiUrl, request, comments);
        },
      },
      {
        method: 'POST',
        pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
        answer: ([owner, repo, number], request) => {
          const { key, issue } = issueOf(owner, repo, number);
          if (!issue) return errorAnswer(404, { docs: 'issues/comments#create-an-issue-comment' });
          const body = (request.body as { body?: unknown } | undefined)?.body;
          if (typeof body !== 'string' || body.length === 0) {
            return validationFailed('IssueComment', 'body', 'missing_field');
          }
          if (body.length > MAX_COMMENT_CHARS) {
            return validationFailed(
              'IssueComment',
              'body',
              'custom',
              'Body is too long (maximum is 65536 characters)',
            );
          }
          return { status: 201, body: this.store(key, issue, { body, author: 'issuecast[bot]' }) };
        },
      },
    ];
  }

  private store(key: string, issue: GitHubIssueJson, comment: FakeComment): GitHubCommentJson {
    const json = commentJson(this.urls, issue, this.nextCommentId++, comment);
    this.comments.get(key)?.push(json);
    issue.comments += 1;
    return json;
  }
}

function keyOf(repository: string, issueNumber: number): string {
  return `${repository}#${issueNumber}`.toLowerCase();
}

function commentJson(urls: FakeUrls, issue: GitHubIssueJson, id: number, comment: FakeComment) {
  const at = comment.createdAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    url: `${issue.repository_url}/issues/comments/${id}`,
    html_url: `${issue.html_url}#issuecomment-${id}`,
    issue_url: issue.url,
    id,
    node_id: `IC_fake_${id}`,
    user: userJson(urls, comment.author ?? 'octocat'),
    created_at: at,
    updated_at: at,
    author_association: 'NONE',
    body: comment.body,
    performed_via_github_app: null,
  };
}

function issueJson(urls: FakeUrls, repository: string, issue: FakeIssue) {
  const apiRepo = `${urls.apiUrl}/repos/${repository}`;
  const webRepo = `${urls.webUrl}/${repository}`;
  const apiIssue = `${apiRepo}/issues/${issue.number}`;
  const closed = issue.state === 'closed';
  return {
    url: apiIssue,
    repository_url: apiRepo,
    labels_url: `${apiIssue}/labels{/name}`,
    comments_url: `${apiIssue}/comments`,
    events_url: `${apiIssue}/events`,
    html_url: `${webRepo}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
    id: 2_000_000 + issue.number,
    node_id: `I_fake_${issue.number}`,
    number: issue.number,
    title: issue.title,
    user: userJson(urls, issue.author ?? 'octocat'),
    labels: (issue.labels ?? []).map((name, index) => ({
      id: 3_000_000 + index,
      node_id: `LA_fake_${index}`,
      url: `${apiRepo}/labels/${encodeURIComponent(name)}`,
      name,
      color: 'ededed',
      default: false,
      description: null,
    })),
    state: issue.state ?? 'open',
    state_reason: closed ? 'completed' : null,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: 0,
    created_at: FIXED_TIME,
    updated_at: FIXED_TIME,
    closed_at: closed ? FIXED_TIME : null,
    author_association: 'NONE',
    active_lock_reason: null,
    body: issue.body === undefined ? null : issue.body,
    closed_by: null,
    timeline_url: `${apiIssue}/timeline`,
    performed_via_github_app: null,
    ...(issue.pullRequest && {
      pull_request: {
        url: `${apiRepo}/pulls/${issue.number}`,
        html_url: `${webRepo}/pull/${issue.number}`,
        diff_url: `${webRepo}/pull/${issue.number}.diff`,
        patch_url: `${webRepo}/pull/${issue.number}.patch`,
        merged_at: null,
      },
    }),
  };
}

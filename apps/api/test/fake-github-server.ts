import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

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

/** A scripted answer to the next request for one path: an error as GitHub sends it, or no answer at all. */
export type ScriptedAnswer =
  | {
      status: number;
      /** GitHub's `message`; defaults to GitHub's usual text for the status. */
      message?: string;
      /** Replaces the whole `{ message, documentation_url, status }` body. */
      body?: unknown;
      headers?: Record<string, string>;
    }
  | { stall: true };

/** One request the fake received. `path` is relative to `apiUrl` and has no query string. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The request target exactly as received, prefix and query included. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface FakeGitHubOptions {
  /** A path the API lives under, as on GitHub Enterprise: `/api/v3`. */
  pathPrefix?: string;
  /** When set, a request that sends any other credentials is answered `401 Bad credentials`. */
  token?: string;
  /** Where `html_url`s point; `https://github.com` by default. */
  webUrl?: string;
}

/** A local server that speaks GitHub's REST wire format for the routes Issuecast uses. */
export interface FakeGitHub {
  /** What `GITHUB_API_URL` is set to, prefix included. */
  readonly apiUrl: string;
  readonly requests: readonly RecordedRequest[];
  /** Adds an issue to `repository` (`owner/name`) and returns it as GitHub's JSON. */
  addIssue(repository: string, issue: FakeIssue): GitHubIssueJson;
  /** Answers the next request for `path` (relative to `apiUrl`, e.g. `/repos/o/r/issues/1`) with `answer`. */
  failNext(path: string, answer: ScriptedAnswer): void;
  /** The first request for `path`, already received or still to come. */
  whenRequested(path: string): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export type GitHubIssueJson = ReturnType<typeof issueJson>;

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Route {
  method: string;
  pattern: RegExp;
  answer(params: string[], request: RecordedRequest): Answer;
}

interface FakeState {
  apiUrl: string;
  webUrl: string;
  /** By lower-cased `owner/name#number`, since GitHub's names are case-insensitive. */
  issues: Map<string, GitHubIssueJson>;
}

const FIXED_TIME = '2024-05-01T12:00:00Z';

const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by personal access token',
  404: 'Not Found',
  410: 'Issues are disabled for this repo',
  429: 'API rate limit exceeded',
  500: 'Server Error',
};

/** Starts a fake GitHub on 127.0.0.1 and a free port. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  const requests: RecordedRequest[] = [];
  const scripted = new Map<string, ScriptedAnswer[]>();
  const waiters: { path: string; resolve: (request: RecordedRequest) => void }[] = [];
  const state: FakeState = { apiUrl: '', webUrl: options.webUrl ?? 'https://github.com', issues: new Map() };
  const routes = createRoutes(state);

  let requestCount = 0;
  const send = (res: ServerResponse, answer: Answer) =>
    writeAnswer(res, answer, `FAKE:${(++requestCount).toString(16).toUpperCase()}`);

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const pathname = url.split('?')[0];
    const underPrefix = pathname === prefix || pathname.startsWith(`${prefix}/`);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: underPrefix ? pathname.slice(prefix.length) || '/' : pathname,
      url,
      headers: req.headers,
    };
    requests.push(request);
    for (const waiter of waiters.filter((w) => w.path === request.path)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(request);
    }
    // Drain the body so the client never waits on a full socket.
    req.resume();

    if (!underPrefix) return send(res, errorAnswer(404));
    const script = scripted.get(request.path)?.shift();
    if (script && 'stall' in script) return;
    if (script) return send(res, errorAnswer(script.status, script));
    // Like GitHub: no credentials is an anonymous request, wrong credentials are refused even for public data.
    if (options.token && req.headers.authorization && !hasToken(req, options.token))
      return send(res, errorAnswer(401));
    send(res, route(routes, request));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.apiUrl = `http://127.0.0.1:${port}${prefix}`;

  return {
    apiUrl: state.apiUrl,
    requests,
    addIssue(repository, issue) {
      const json = issueJson(state, repository, issue);
      state.issues.set(`${repository}#${issue.number}`.toLowerCase(), json);
      return json;
    },
    failNext(path, answer) {
      scripted.set(path, [...(scripted.get(path) ?? []), answer]);
    },
    whenRequested(path) {
      const received = requests.find((request) => request.path === path);
      return received ? Promise.resolve(received) : new Promise((resolve) => waiters.push({ path, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** The REST routes the fake serves. Add new ones here (comments, git trees, contents, code search). */
function createRoutes(state: FakeState): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
      answer: ([owner, repo, number]) => {
        const issue = state.issues.get(`${owner}/${repo}#${Number(number)}`.toLowerCase());
        return issue
          ? { status: 200, body: issue }
          : errorAnswer(404, { docs: 'issues/issues#get-an-issue' });
      },
    },
  ];
}

function route(routes: Route[], request: RecordedRequest): Answer {
  for (const candidate of routes) {
    const match = candidate.method === request.method ? candidate.pattern.exec(request.path) : null;
    if (match) return candidate.answer(match.slice(1).map(decodeURIComponent), request);
  }
  return errorAnswer(404);
}

function hasToken(req: IncomingMessage, token: string): boolean {
  const [scheme, value] = (req.headers.authorization ?? '').split(' ');
  return ['token', 'bearer'].includes(scheme?.toLowerCase() ?? '') && value === token;
}

/** An error in GitHub's shape: `{ message, documentation_url, status }`. */
function errorAnswer(
  status: number,
  {
    message,
    headers,
    body,
    docs,
  }: { message?: string; headers?: Record<string, string>; body?: unknown; docs?: string } = {},
): Answer {
  return {
    status,
    body: body ?? {
      message: message ?? DEFAULT_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error',
      documentation_url: `https://docs.github.com/rest${docs ? `/${docs}` : ''}`,
      status: String(status),
    },
    headers,
  };
}

function writeAnswer(res: ServerResponse, answer: Answer, requestId: string): void {
  const resetEpochSeconds = Math.floor(Date.now() / 1000) + 3600;
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': requestId,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(resetEpochSeconds),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    ...answer.headers,
  });
  res.end(JSON.stringify(answer.body));
}

function userJson(state: FakeState, login: string) {
  return {
    login,
    id: 1000 + login.length,
    node_id: `U_fake_${login}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${1000 + login.length}?v=4`,
    url: `${state.apiUrl}/users/${login}`,
    html_url: `${state.webUrl}/${login}`,
    type: 'User',
    site_admin: false,
  };
}

function issueJson(state: FakeState, repository: string, issue: FakeIssue) {
  const apiRepo = `${state.apiUrl}/repos/${repository}`;
  const webRepo = `${state.webUrl}/${repository}`;
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
    user: userJson(state, issue.author ?? 'octocat'),
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

import { createHash } from 'node:crypto';
import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { withoutTrailingSlashes } from '../src/github/trailing-slashes';

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

/** A repository as a test describes it: its files by path, on its default branch. */
export interface FakeRepository {
  files: Record<string, string | Buffer>;
  defaultBranch?: string;
  /** Served as GitHub serves a tree too large to answer whole: `truncated: true`. */
  truncatedTree?: boolean;
}

/** A scripted answer to the next request for one path: an error as GitHub sends it, or no answer at all. */
export type ScriptedAnswer = (
  | {
      status: number;
      /** GitHub's `message`; defaults to GitHub's usual text for the status. */
      message?: string;
      /** Replaces the whole `{ message, documentation_url, status }` body. */
      body?: unknown;
      headers?: Record<string, string>;
    }
  /** Never answers. */
  | { stall: true }
  /** Does what was asked (creates the comment …), then never answers: a timeout after the fact. */
  | { stallAfterHandling: true }
) & {
  /** Only a request with this method takes the answer; any method by default. */
  method?: string;
};

/** One request the fake received. `path` is relative to `apiUrl`, decoded, without the query string. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The request target exactly as received, prefix and query included. */
  url: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, if any. */
  body?: unknown;
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
  /** Adds a comment to an issue added before, as if someone had written it. */
  addComment(repository: string, issueNumber: number, comment: FakeComment): GitHubCommentJson;
  /** The comments of an issue, oldest first, as GitHub stores them. */
  commentsOf(repository: string, issueNumber: number): readonly GitHubCommentJson[];
  /** Serves `repository` (`owner/name`): its metadata, tree, contents and code search. */
  addRepository(repository: string, repo: FakeRepository): void;
  /** Answers the next request for `path` (relative to `apiUrl`, decoded, e.g. `/repos/o/r/issues/1`) with `answer`. */
  failNext(path: string, answer: ScriptedAnswer): void;
  /** The first request for `path`, already received or still to come. */
  whenRequested(path: string): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export type GitHubIssueJson = ReturnType<typeof issueJson>;
export type GitHubCommentJson = ReturnType<typeof commentJson>;

/** A 403 as GitHub sends it when the primary rate limit is spent, resetting at `resetsAt`. */
export function rateLimitAnswer(resetsAt: Date, method?: string): ScriptedAnswer {
  return {
    status: 403,
    message: 'API rate limit exceeded for installation ID 1.',
    headers: {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.floor(resetsAt.getTime() / 1000)),
    },
    method,
  };
}

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

interface StoredRepository {
  fullName: string;
  defaultBranch: string;
  files: Map<string, Buffer>;
  truncatedTree: boolean;
}

interface FakeState {
  apiUrl: string;
  webUrl: string;
  /** By lower-cased `owner/name#number`, since GitHub's names are case-insensitive. */
  issues: Map<string, GitHubIssueJson>;
  comments: Map<string, GitHubCommentJson[]>;
  /** By lower-cased `owner/name`. */
  repositories: Map<string, StoredRepository>;
  nextCommentId: number;
}

const FIXED_TIME = '2024-05-01T12:00:00Z';
/** The largest file the contents API returns with its content. */
const CONTENTS_API_MAX_BYTES = 1024 * 1024;
const MAX_COMMENT_CHARS = 65_536;

const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by personal access token',
  404: 'Not Found',
  410: 'Issues are disabled for this repo',
  422: 'Validation Failed',
  429: 'API rate limit exceeded',
  500: 'Server Error',
};

/** Starts a fake GitHub on 127.0.0.1 and a free port. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const prefix = withoutTrailingSlashes(options.pathPrefix ?? '');
  const requests: RecordedRequest[] = [];
  const scripted = new Map<string, ScriptedAnswer[]>();
  const waiters: { path: string; resolve: (request: RecordedRequest) => void }[] = [];
  const state: FakeState = {
    apiUrl: '',
    webUrl: options.webUrl ?? 'https://github.com',
    issues: new Map(),
    comments: new Map(),
    repositories: new Map(),
    nextCommentId: 4_000_001,
  };
  const routes = createRoutes(state);

  let requestCount = 0;
  const send = (res: ServerResponse, answer: Answer) =>
    writeAnswer(res, answer, `FAKE:${(++requestCount).toString(16).toUpperCase()}`);

  const takeScripted = (request: RecordedRequest): ScriptedAnswer | undefined => {
    const queue = scripted.get(request.path) ?? [];
    const index = queue.findIndex((answer) => !answer.method || answer.method === request.method);
    return index < 0 ? undefined : queue.splice(index, 1)[0];
  };

  const server = createServer((req, res) => {
    void readJson(req).then((body) => {
      const url = req.url ?? '/';
      const [rawPath, search = ''] = url.split('?');
      const pathname = safeDecode(rawPath);
      const underPrefix = pathname === prefix || pathname.startsWith(`${prefix}/`);
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: underPrefix ? pathname.slice(prefix.length) || '/' : pathname,
        url,
        query: new URLSearchParams(search),
        headers: req.headers,
        body,
      };
      requests.push(request);
      for (const waiter of waiters.filter((w) => w.path === request.path)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }

      if (!underPrefix) return send(res, errorAnswer(404));
      const script = takeScripted(request);
      if (script && 'stall' in script) return;
      if (script && 'status' in script) return send(res, errorAnswer(script.status, script));
      // Like GitHub: no credentials is an anonymous request, wrong credentials are refused even for public data.
      if (options.token && req.headers.authorization && !hasToken(req, options.token))
        return send(res, errorAnswer(401));
      const answer = route(routes, request);
      if (script && 'stallAfterHandling' in script) return;
      send(res, answer);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.apiUrl = `http://127.0.0.1:${port}${prefix}`;

  return {
    apiUrl: state.apiUrl,
    requests,
    addIssue(repository, issue) {
      const json = issueJson(state, repository, issue);
      const key = `${repository}#${issue.number}`.toLowerCase();
      state.issues.set(key, json);
      state.comments.set(key, []);
      return json;
    },
    addComment(repository, issueNumber, comment) {
      const key = `${repository}#${issueNumber}`.toLowerCase();
      const issue = state.issues.get(key);
      if (!issue) throw new Error(`No issue ${key}: add it first`);
      return storeComment(state, key, issue, comment);
    },
    commentsOf(repository, issueNumber) {
      return state.comments.get(`${repository}#${issueNumber}`.toLowerCase()) ?? [];
    },
    addRepository(repository, repo) {
      state.repositories.set(repository.toLowerCase(), {
        fullName: repository,
        defaultBranch: repo.defaultBranch ?? 'main',
        files: new Map(
          Object.entries(repo.files).map(([path, content]) => [
            path,
            typeof content === 'string' ? Buffer.from(content) : content,
          ]),
        ),
        truncatedTree: repo.truncatedTree ?? false,
      });
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

/** The REST routes the fake serves. */
function createRoutes(state: FakeState): Route[] {
  const issueOf = (owner: string, repo: string, number: string) => {
    const key = `${owner}/${repo}#${Number(number)}`.toLowerCase();
    return { key, issue: state.issues.get(key) };
  };
  const repositoryOf = (owner: string, repo: string) =>
    state.repositories.get(`${owner}/${repo}`.toLowerCase());

  return [
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)$/,
      answer: ([owner, repo]) => {
        const stored = repositoryOf(owner, repo);
        return stored
          ? { status: 200, body: repositoryJson(state, stored) }
          : errorAnswer(404, { docs: 'repos/repos#get-a-repository' });
      },
    },
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
        const comments = (state.comments.get(key) ?? []).filter(
          (comment) => !since || comment.updated_at >= since,
        );
        return paginate(state, request, comments);
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
        return { status: 201, body: storeComment(state, key, issue, { body, author: 'issuecast[bot]' }) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/(.+)$/,
      answer: ([owner, repo, ref], request) => {
        const stored = repositoryOf(owner, repo);
        if (!stored || ref !== stored.defaultBranch)
          return errorAnswer(404, { docs: 'git/trees#get-a-tree' });
        return { status: 200, body: treeJson(state, stored, request.query.has('recursive')) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.*)$/,
      answer: ([owner, repo, path], request) => {
        const stored = repositoryOf(owner, repo);
        const ref = request.query.get('ref') ?? stored?.defaultBranch;
        if (!stored || ref !== stored.defaultBranch)
          return errorAnswer(404, { docs: 'repos/contents#get-repository-content' });
        const file = stored.files.get(path);
        if (file) return { status: 200, body: contentJson(state, stored, path, file, true) };
        const children = [...stored.files.keys()].filter((candidate) => candidate.startsWith(`${path}/`));
        if (children.length === 0) return errorAnswer(404, { docs: 'repos/contents#get-repository-content' });
        return { status: 200, body: directoryJson(state, stored, path) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/search\/code$/,
      answer: (_params, request) => searchCode(state, request),
    },
  ];
}

function route(routes: Route[], request: RecordedRequest): Answer {
  for (const candidate of routes) {
    const match = candidate.method === request.method ? candidate.pattern.exec(request.path) : null;
    if (match) return candidate.answer(match.slice(1), request);
  }
  return errorAnswer(404);
}

/** One page of `items` by `page` and `per_page` (30 by default, as GitHub), with GitHub's `Link` header. */
function paginate(state: FakeState, request: RecordedRequest, items: unknown[]): Answer {
  const perPage = Math.min(Number(request.query.get('per_page') ?? 30) || 30, 100);
  const page = Math.max(Number(request.query.get('page') ?? 1) || 1, 1);
  const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
  const linkTo = (target: number) => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(target));
    return `<${state.apiUrl}${request.path}?${query.toString()}>`;
  };
  const links = [
    page < lastPage && `${linkTo(page + 1)}; rel="next"`,
    page < lastPage && `${linkTo(lastPage)}; rel="last"`,
    page > 1 && `${linkTo(1)}; rel="first"`,
    page > 1 && `${linkTo(page - 1)}; rel="prev"`,
  ].filter((link): link is string => typeof link === 'string');
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : undefined,
  };
}

/** Code search as GitHub does it, roughly: every term must occur in the file; `repo:` is required. */
function searchCode(state: FakeState, request: RecordedRequest): Answer {
  if (!request.headers.authorization) return errorAnswer(401, { message: 'Requires authentication' });
  const terms = (request.query.get('q') ?? '').split(/\s+/).filter(Boolean);
  const scope = terms.find((term) => term.startsWith('repo:'))?.slice('repo:'.length);
  const words = terms.filter((term) => !/^[a-z]+:/i.test(term)).map((word) => word.toLowerCase());
  const stored = scope ? state.repositories.get(scope.toLowerCase()) : undefined;
  if (!stored || words.length === 0) {
    return validationFailed(
      'Search',
      'q',
      'invalid',
      'The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.',
    );
  }
  const perPage = Math.min(Number(request.query.get('per_page') ?? 30) || 30, 100);
  const textMatches = String(request.headers.accept ?? '').includes('text-match');
  const found = [...stored.files.entries()].filter(([, content]) => {
    const text = content.toString('utf8').toLowerCase();
    return words.every((word) => text.includes(word));
  });
  const items = found.slice(0, perPage).map(([path, content]) => ({
    name: path.split('/').at(-1),
    path,
    sha: blobSha(content),
    url: `${state.apiUrl}/repositories/1/contents/${path}?ref=${blobSha(content)}`,
    git_url: `${state.apiUrl}/repositories/1/git/blobs/${blobSha(content)}`,
    html_url: `${state.webUrl}/${stored.fullName}/blob/${stored.defaultBranch}/${path}`,
    repository: repositoryJson(state, stored),
    score: 1,
    ...(textMatches && { text_matches: [textMatch(state, path, content.toString('utf8'), words[0])] }),
  }));
  return { status: 200, body: { total_count: found.length, incomplete_results: false, items } };
}

function textMatch(state: FakeState, path: string, text: string, word: string) {
  const at = text.toLowerCase().indexOf(word);
  const start = Math.max(0, text.lastIndexOf('\n', Math.max(0, at - 40)) + 1);
  const fragment = text.slice(start, Math.min(text.length, at + word.length + 80));
  const index = at - start;
  return {
    object_url: `${state.apiUrl}/repositories/1/contents/${path}`,
    object_type: 'FileContent',
    property: 'content',
    fragment,
    matches: [{ text: fragment.slice(index, index + word.length), indices: [index, index + word.length] }],
  };
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

/** GitHub's 422: `Validation Failed` with the failing field in `errors`. */
function validationFailed(resource: string, field: string, code: string, message?: string): Answer {
  return errorAnswer(422, {
    body: {
      message: 'Validation Failed',
      errors: [{ resource, code, field, ...(message && { message }) }],
      documentation_url: 'https://docs.github.com/rest',
      status: '422',
    },
  });
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

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The sha git gives a blob with this content. */
function blobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function userJson(state: FakeState, login: string) {
  return {
    login,
    id: 1000 + login.length,
    node_id: `U_fake_${login}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${1000 + login.length}?v=4`,
    url: `${state.apiUrl}/users/${login}`,
    html_url: `${state.webUrl}/${login}`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
  };
}

function storeComment(
  state: FakeState,
  key: string,
  issue: GitHubIssueJson,
  comment: FakeComment,
): GitHubCommentJson {
  const json = commentJson(state, issue, state.nextCommentId++, comment);
  state.comments.get(key)?.push(json);
  issue.comments += 1;
  return json;
}

function commentJson(state: FakeState, issue: GitHubIssueJson, id: number, comment: FakeComment) {
  const at = comment.createdAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    url: `${issue.repository_url}/issues/comments/${id}`,
    html_url: `${issue.html_url}#issuecomment-${id}`,
    issue_url: issue.url,
    id,
    node_id: `IC_fake_${id}`,
    user: userJson(state, comment.author ?? 'octocat'),
    created_at: at,
    updated_at: at,
    author_association: 'NONE',
    body: comment.body,
    performed_via_github_app: null,
  };
}

function repositoryJson(state: FakeState, stored: StoredRepository) {
  const [owner, name] = stored.fullName.split('/');
  return {
    id: 1,
    node_id: 'R_fake_1',
    name,
    full_name: stored.fullName,
    private: false,
    owner: userJson(state, owner),
    html_url: `${state.webUrl}/${stored.fullName}`,
    description: null,
    fork: false,
    url: `${state.apiUrl}/repos/${stored.fullName}`,
    default_branch: stored.defaultBranch,
    visibility: 'public',
    has_issues: true,
  };
}

function treeJson(state: FakeState, stored: StoredRepository, recursive: boolean) {
  const directories = new Set<string>();
  for (const path of stored.files.keys()) {
    const segments = path.split('/');
    for (let depth = 1; depth < segments.length; depth++) directories.add(segments.slice(0, depth).join('/'));
  }
  const treeSha = createHash('sha1').update(stored.fullName).digest('hex');
  const entries = [
    ...[...directories].map((path) => ({
      path,
      mode: '040000',
      type: 'tree',
      sha: createHash('sha1').update(path).digest('hex'),
      url: `${state.apiUrl}/repos/${stored.fullName}/git/trees/${createHash('sha1').update(path).digest('hex')}`,
    })),
    ...[...stored.files.entries()].map(([path, content]) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: blobSha(content),
      size: content.length,
      url: `${state.apiUrl}/repos/${stored.fullName}/git/blobs/${blobSha(content)}`,
    })),
  ]
    .filter((entry) => recursive || !entry.path.includes('/'))
    .sort((a, b) => a.path.localeCompare(b.path));
  return {
    sha: treeSha,
    url: `${state.apiUrl}/repos/${stored.fullName}/git/trees/${treeSha}`,
    tree: entries,
    truncated: stored.truncatedTree,
  };
}

function contentJson(
  state: FakeState,
  stored: StoredRepository,
  path: string,
  content: Buffer,
  withContent: boolean,
) {
  const sha = blobSha(content);
  const self = `${state.apiUrl}/repos/${stored.fullName}/contents/${path}?ref=${stored.defaultBranch}`;
  const html = `${state.webUrl}/${stored.fullName}/blob/${stored.defaultBranch}/${path}`;
  const git = `${state.apiUrl}/repos/${stored.fullName}/git/blobs/${sha}`;
  const fits = content.length <= CONTENTS_API_MAX_BYTES;
  return {
    type: 'file',
    ...(withContent && {
      // GitHub wraps the base64 at 60 characters; a file past 1 MB comes without its content.
      encoding: fits ? 'base64' : 'none',
      content: fits ? (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') : '',
    }),
    size: content.length,
    name: path.split('/').at(-1),
    path,
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: `https://raw.githubusercontent.com/${stored.fullName}/${stored.defaultBranch}/${path}`,
    _links: { self, git, html },
  };
}

function directoryJson(state: FakeState, stored: StoredRepository, directory: string) {
  const children = new Map<string, 'file' | 'dir'>();
  for (const path of stored.files.keys()) {
    if (!path.startsWith(`${directory}/`)) continue;
    const [name, ...rest] = path.slice(directory.length + 1).split('/');
    children.set(`${directory}/${name}`, rest.length > 0 ? 'dir' : 'file');
  }
  return [...children.entries()].map(([path, type]) => {
    const file = stored.files.get(path);
    return type === 'file' && file
      ? contentJson(state, stored, path, file, false)
      : {
          type: 'dir',
          size: 0,
          name: path.split('/').at(-1),
          path,
          sha: createHash('sha1').update(path).digest('hex'),
          url: `${state.apiUrl}/repos/${stored.fullName}/contents/${path}?ref=${stored.defaultBranch}`,
          html_url: `${state.webUrl}/${stored.fullName}/tree/${stored.defaultBranch}/${path}`,
          git_url: null,
          download_url: null,
        };
  });
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

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withoutTrailingSlashes } from '../../src/github/trailing-slashes';
import { type Answer, errorAnswer, type RecordedRequest, type Route, writeAnswer } from './answers';
import { codeSearchRoute } from './code-search';
import {
  type FakeComment,
  type FakeIssue,
  FakeIssues,
  type GitHubCommentJson,
  type GitHubIssueJson,
} from './issues';
import { FakeRepositories, type FakeRepository } from './repositories';
import type { FakeUrls } from './users';

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

/** Starts a fake GitHub on 127.0.0.1 and a free port. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const prefix = withoutTrailingSlashes(options.pathPrefix ?? '');
  const requests: RecordedRequest[] = [];
  const scripted = new Map<string, ScriptedAnswer[]>();
  const waiters: { path: string; resolve: (request: RecordedRequest) => void }[] = [];
  const urls: FakeUrls = { apiUrl: '', webUrl: options.webUrl ?? 'https://github.com' };
  const issues = new FakeIssues(urls);
  const repositories = new FakeRepositories(urls);
  const routes = [...repositories.routes(), ...issues.routes(), codeSearchRoute(urls, repositories)];

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
  urls.apiUrl = `http://127.0.0.1:${port}${prefix}`;

  return {
    apiUrl: urls.apiUrl,
    requests,
    addIssue: (repository, issue) => issues.add(repository, issue),
    addComment: (repository, issueNumber, comment) => issues.addComment(repository, issueNumber, comment),
    commentsOf: (repository, issueNumber) => issues.commentsOf(repository, issueNumber),
    addRepository: (repository, repo) => repositories.add(repository, repo),
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

function route(routes: Route[], request: RecordedRequest): Answer {
  for (const candidate of routes) {
    const match = candidate.method === request.method ? candidate.pattern.exec(request.path) : null;
    if (match) return candidate.answer(match.slice(1), request);
  }
  return errorAnswer(404);
}

function hasToken(req: IncomingMessage, token: string): boolean {
  const [scheme, value] = (req.headers.authorization ?? '').split(' ');
  return ['token', 'bearer'].includes(scheme?.toLowerCase() ?? '') && value === token;
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

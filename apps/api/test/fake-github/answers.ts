import { STATUS_CODES, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

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

/** What the fake sends back: a status, a JSON body, and headers beyond the usual ones. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One REST route: a method, a path pattern whose groups are the parameters, and its answer. */
export interface Route {
  method: string;
  pattern: RegExp;
  answer(params: string[], request: RecordedRequest): Answer;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by personal access token',
  404: 'Not Found',
  410: 'Issues are disabled for this repo',
  422: 'Validation Failed',
  429: 'API rate limit exceeded',
  500: 'Server Error',
};

/** An error in GitHub's shape: `{ message, documentation_url, status }`. */
export function errorAnswer(
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
export function validationFailed(resource: string, field: string, code: string, message?: string): Answer {
  return errorAnswer(422, {
    body: {
      message: 'Validation Failed',
      errors: [{ resource, code, field, ...(message && { message }) }],
      documentation_url: 'https://docs.github.com/rest',
      status: '422',
    },
  });
}

/** One page of `items` by `page` and `per_page` (30 by default, as GitHub), with GitHub's `Link` header. */
export function paginate(apiUrl: string, request: RecordedRequest, items: unknown[]): Answer {
  const perPage = Math.min(Number(request.query.get('per_page') ?? 30) || 30, 100);
  const page = Math.max(Number(request.query.get('page') ?? 1) || 1, 1);
  const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
  const linkTo = (target: number) => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(target));
    return `<${apiUrl}${request.path}?${query.toString()}>`;
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

/** Sends `answer` with the headers GitHub puts on every answer (API version, request id, rate limit). */
export function writeAnswer(res: ServerResponse, answer: Answer, requestId: string): void {
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

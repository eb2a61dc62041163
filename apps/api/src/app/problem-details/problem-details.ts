import type { HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';

const PROBLEM_JSON = 'application/problem+json';

/** One invalid field of a request and what is wrong with it. */
export interface FieldError {
  /** The field's path in the body or query: `issueNumber`, `issue.title`. */
  field: string;
  message: string;
}

/**
 * An error answer, RFC 9457 problem details. `statusCode` and `message` repeat `status` and
 * `detail` for the clients written against Nest's own error shape.
 */
interface ProblemDetails {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
  /** The path of the request that failed. */
  instance: string;
  /** The invalid fields, on a 400 that names them. */
  errors?: FieldError[];
  statusCode: number;
  message: string;
  [extension: string]: unknown;
}

/** Nest's own members of an answer, said again by `status` and `title`. */
const NEST_MEMBERS = new Set(['statusCode', 'error', 'status']);

/** What an exception may say besides its message: the invalid fields, or any other member of its answer. */
interface ExceptionAnswer {
  message?: unknown;
  errors?: FieldError[];
  [member: string]: unknown;
}

/** The problem an `HttpException` answers, for a request to `path`. */
function problemOf(exception: HttpException, path: string): ProblemDetails {
  const status = exception.getStatus();
  const answer = exception.getResponse();
  const said = (typeof answer === 'object' ? answer : { message: answer }) as ExceptionAnswer;
  const { message = exception.message, ...members } = said;
  const extensions = Object.fromEntries(Object.entries(members).filter(([name]) => !NEST_MEMBERS.has(name)));
  const detail = [message].flat().join('; ');
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: pathOf(path),
    ...extensions,
    statusCode: status,
    message: detail,
  };
}

export function sendProblem(request: Request, response: Response, exception: HttpException): void {
  const problem = problemOf(exception, request.originalUrl);
  response.status(problem.status).type(PROBLEM_JSON).json(problem);
}

function pathOf(url: string): string {
  return url.split('?', 1)[0];
}

import {
  type ArgumentsHost,
  BadGatewayException,
  Catch,
  ForbiddenException,
  HttpException,
  HttpStatus,
  UnprocessableEntityException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { GitHubFailure } from '../github/github-failure';

/**
 * Every error a route throws is answered here, in Nest's `{ statusCode, message, error? }` shape:
 * the one place that decides what an error answer looks like. A `GitHubFailure` is first turned
 * into the answer a caller can act on.
 */
@Catch()
export class ErrorAnswerFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof GitHubFailure)) return super.catch(exception, host);
    const retryAfter = retryAfterSecondsOf(exception);
    if (retryAfter !== undefined) {
      host.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    }
    super.catch(httpExceptionOf(exception), host);
  }
}

/**
 * GitHub's refusal as an answer: the server's token lacks access (403), the issue cannot take the
 * comment (422), a rate limit (429), or GitHub out of reach (502). Never 401 or 404: those would
 * read as the caller's session or run.
 */
function httpExceptionOf({ status, rateLimited, message }: GitHubFailure): HttpException {
  if (rateLimited) return new HttpException(message, HttpStatus.TOO_MANY_REQUESTS);
  if (status === undefined || status >= 500) return new BadGatewayException(message);
  if (status === 401 || status === 403) return new ForbiddenException(message);
  return new UnprocessableEntityException(message);
}

function retryAfterSecondsOf({ rateLimited, resetsAt }: GitHubFailure): number | undefined {
  if (!rateLimited || !resetsAt) return undefined;
  return Math.max(1, Math.ceil((resetsAt.getTime() - Date.now()) / 1000));
}

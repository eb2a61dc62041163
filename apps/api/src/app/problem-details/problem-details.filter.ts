import {
  type ArgumentsHost,
  BadGatewayException,
  Catch,
  type ExceptionFilter,
  ForbiddenException,
  HttpException,
  HttpStatus,
  InternalServerErrorException,
  Logger,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { GitHubFailure } from '../../github/github-failure';
import { sendProblem } from './problem-details';
import { RetryLater } from '../../errors/retry-later';

/**
 * Every error a route, guard or pipe throws is answered here, as problem details: the one place
 * that decides what an error answer looks like. A `GitHubFailure` is first turned into the answer
 * a caller can act on; anything unforeseen is logged and answered 500 without its message.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionsHandler');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (response.headersSent) {
      this.logger.error(exception);
      response.end();
      return;
    }
    sendProblem(request, response, this.httpExceptionOf(exception, response));
  }

  private httpExceptionOf(exception: unknown, response: Response): HttpException {
    if (exception instanceof RetryLater)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (exception instanceof HttpException) return exception;
    if (exception instanceof GitHubFailure) {
      const retryAfter = retryAfterSecondsOf(exception);
      if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
      return gitHubRefusalOf(exception);
    }
    this.logger.error(exception);
    return new InternalServerErrorException('Something went wrong on the server; try again later');
  }
}

/**
 * GitHub's refusal as an answer: the server's token lacks access (403), the issue cannot take the
 * comment (422), a rate limit (429), or GitHub out of reach (502). Never 401 or 404: those would
 * read as the caller's session or run.
 */
function gitHubRefusalOf({ status, rateLimited, message }: GitHubFailure): HttpException {
  if (rateLimited) return new HttpException(message, HttpStatus.TOO_MANY_REQUESTS);
  if (status === undefined || status >= 500) return new BadGatewayException(message);
  if (status === 401 || status === 403) return new ForbiddenException(message);
  return new UnprocessableEntityException(message);
}

function retryAfterSecondsOf({ rateLimited, resetsAt }: GitHubFailure): number | undefined {
  if (!rateLimited || !resetsAt) return undefined;
  return Math.max(1, Math.ceil((resetsAt.getTime() - Date.now()) / 1000));
}

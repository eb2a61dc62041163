import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from './problem-details/problem-details';

/** The largest request body; the biggest valid one (a pasted issue) is well below. */
const REQUEST_BODY_LIMIT_KB = 128;

const JSON_ONLY = 'The API takes JSON only: send the body as application/json';

/**
 * Every request body is a JSON object or is answered here, before any route (or the web app's
 * catch-all) sees it: not JSON 415, malformed 400, too large 413, not an object 400.
 */
export function acceptJsonObjectBodiesOnly(app: NestExpressApplication): void {
  app.use(refuseOtherContentTypes);
  // Not strict: a JSON `null` or `1` is valid JSON, refused below as not an object rather than as malformed.
  app.useBodyParser('json', { limit: `${REQUEST_BODY_LIMIT_KB}kb`, strict: false });
  app.use(answerBodyParserErrors);
  app.use(refuseBodiesThatAreNotObjects);
}

/** An empty body (`Content-Length: 0`) is no body: a POST without one needs no content type. */
function hasBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length']) > 0;
}

function refuseOtherContentTypes(request: Request, response: Response, next: NextFunction): void {
  if (hasBody(request) && !request.is('application/json'))
    return sendProblem(request, response, new UnsupportedMediaTypeException(JSON_ONLY));
  next();
}

function refuseBodiesThatAreNotObjects(request: Request, response: Response, next: NextFunction): void {
  const body: unknown = request.body;
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (hasBody(request) && !isObject)
    return sendProblem(request, response, new BadRequestException('The request body must be a JSON object'));
  next();
}

/** body-parser's errors carry a `type`; anything else is not ours to answer. */
function answerBodyParserErrors(
  error: unknown,
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed')
    return sendProblem(request, response, new BadRequestException('The request body is not valid JSON'));
  if (type === 'entity.too.large')
    return sendProblem(
      request,
      response,
      new PayloadTooLargeException(`The request body is too large: the limit is ${REQUEST_BODY_LIMIT_KB} kB`),
    );
  if (type === 'charset.unsupported' || type === 'encoding.unsupported')
    return sendProblem(
      request,
      response,
      new UnsupportedMediaTypeException(`${JSON_ONLY}, in UTF-8 and uncompressed`),
    );
  if (typeof type === 'string')
    return sendProblem(request, response, new BadRequestException('The request body could not be read'));
  next(error);
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a proxy or client may send as a request id; anything else is replaced, never logged. */
const WELL_FORMED_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The request's id, assigned once (the caller's when well-formed, else a new UUID) and answered in
 * `X-Request-Id`. Runs first, so that even a request refused before any route carries it.
 */
export function requestIdOf(request: IncomingMessage & { id?: unknown }, response: ServerResponse): string {
  if (typeof request.id === 'string') return request.id;
  const incoming = request.headers[REQUEST_ID_HEADER.toLowerCase()];
  const id = typeof incoming === 'string' && WELL_FORMED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  request.id = id;
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

export function assignRequestId(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  requestIdOf(request, response);
  next();
}

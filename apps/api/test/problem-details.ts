import { STATUS_CODES } from 'node:http';

/** What an error answer must say: its status, the request path, and its `detail` (text or a matcher). */
export interface ExpectedProblem {
  status: number;
  instance: string;
  detail: unknown;
}

/**
 * Expects `response` to be an error answered as problem details (RFC 9457), with `statusCode` and
 * `message` repeating `status` and `detail`; returns the body for further checks.
 */
export async function expectProblem(
  response: Response,
  { status, instance, detail }: ExpectedProblem,
): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    type: 'about:blank',
    title: STATUS_CODES[status],
    status,
    detail,
    instance,
    statusCode: status,
    message: body['detail'],
  });
  return body;
}

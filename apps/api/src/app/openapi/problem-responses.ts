import type { OpenAPIObject, OperationObject, SchemaObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

const PROBLEM_REF = '#/components/schemas/ProblemDetails';

/** The error answer of every operation, as `ProblemDetailsFilter` writes it. */
const PROBLEM_DETAILS_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'An error, as RFC 9457 problem details. `statusCode` and `message` repeat `status` and `detail` for clients written against Nest’s default error body.',
  required: ['type', 'title', 'status', 'detail', 'instance', 'statusCode', 'message'],
  properties: {
    type: { type: 'string', enum: ['about:blank'] },
    title: { type: 'string', description: 'The HTTP reason phrase of `status`.', example: 'Bad Request' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
    detail: { type: 'string', description: 'What went wrong, fit to show a user.' },
    instance: { type: 'string', description: 'The path of the request.', example: '/api/workflows' },
    errors: {
      type: 'array',
      description: 'The invalid fields, on a 400 from validation.',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string', example: 'issue.title' },
          message: { type: 'string', example: 'issue.title must not be blank' },
        },
      },
    },
    checks: {
      type: 'object',
      description: 'On the readiness 503: every check, by name, in Terminus’s shape.',
      additionalProperties: { type: 'object', properties: { status: { type: 'string' } } },
    },
    statusCode: { type: 'integer', description: 'The same as `status`.' },
    message: { type: 'string', description: 'The same as `detail`.' },
  },
};

/** What every route may answer, whatever it does: the request's body or its origin refused. */
const EVERY_ROUTE: Record<number, string> = {
  403: 'A request from a foreign Origin, or a cookie-authenticated change without X-CSRF-Token.',
  500: 'Something unforeseen failed on the server; it was logged with the request id (`X-Request-Id`).',
};
const BODY_ROUTES: Record<number, string> = {
  400: 'The body is not a JSON object, or a field is invalid (listed in `errors`).',
  413: 'The body is over 128 kB.',
  415: 'The body is not application/json.',
};
const SIGNED_IN_ROUTES: Record<number, string> = { 401: 'Not signed in, or the session has expired.' };

/**
 * Gives every operation the errors it answers, each as `application/problem+json` (`Retry-After`
 * on a 429 or 503, where it is sent): the ones the app answers on any route, and the ones its decorators name.
 */
export function addProblemResponses(document: OpenAPIObject): OpenAPIObject {
  ((document.components ??= {}).schemas ??= {})['ProblemDetails'] = PROBLEM_DETAILS_SCHEMA;
  for (const methods of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'delete'] as const) {
      const operation = methods[method];
      if (!operation) continue;
      operation.security ??= [];
      const common = {
        ...EVERY_ROUTE,
        ...(method === 'post' || method === 'put' ? BODY_ROUTES : {}),
        ...(operation.security.length > 0 ? SIGNED_IN_ROUTES : {}),
      };
      describeProblems(operation, common);
    }
  }
  return document;
}

function describeProblems(operation: OperationObject, common: Record<number, string>): void {
  const responses = operation.responses;
  for (const [status, description] of Object.entries(common)) responses[status] ??= { description };
  for (const [status, response] of Object.entries(responses)) {
    if (!response || Number(status) < 400 || '$ref' in response) continue;
    response.description ||= STATUS_CODES[status] ?? 'Error';
    response.content = { 'application/problem+json': { schema: { $ref: PROBLEM_REF } } };
    if (status === '429' || status === '503') {
      response.headers = {
        'Retry-After': {
          description: 'Seconds to wait before trying again.',
          schema: { type: 'integer', minimum: 1 },
        },
      };
    }
  }
}

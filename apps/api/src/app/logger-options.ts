import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { LogConfig } from '../config/app-config';
import { requestIdOf } from './request-id';

const OIDC_ROUTES = '/api/auth/oidc/';

/** Structured JSON logs, to stdout unless another destination is given; credentials never reach them. */
export function loggerOptions(log: LogConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: log.level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    // Every line logged while serving a request (a run's lines too) names it next to its workflowId.
    genReqId: requestIdOf,
    customProps: (request) => ({ requestId: request.id }),
    autoLogging: { ignore: (request) => request.url === '/api/health' },
    // Query strings carry resume positions and filters, which help; the OpenID Connect callback's
    // carries the authorization code and state, which must not be kept.
    serializers: {
      req: (request: { method: string; url: string; id: unknown }) => ({
        id: request.id,
        method: request.method,
        url: request.url.startsWith(OIDC_ROUTES) ? request.url.split('?')[0] : request.url,
      }),
    },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}

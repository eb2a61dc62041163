import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/session-cookies';
import { addWorkflowEventSchemas } from '../event-log/workflow-event-schemas';
import { addProblemResponses } from './openapi/problem-responses';

/** The OpenAPI document of the app's routes, with the event and error schemas. */
function openApiDocumentOf(app: INestApplication): ReturnType<typeof SwaggerModule.createDocument> {
  const config = new DocumentBuilder()
    .setTitle('Issuecast')
    .setDescription(
      'Drafts a comment on a GitHub issue with a language model and streams the draft as it is written.',
    )
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This server')
    .addTag('auth', 'Signing in and out: a bearer token for services, a session cookie for the browser.')
    .addTag('workflows', 'Runs that draft a comment on an issue: start, follow, cancel, post.')
    .addTag('health', 'Liveness and readiness probes, open to all.')
    .addTag('metrics', 'Prometheus metrics.')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addCookieAuth(SESSION_COOKIE)
    .build();
  return addProblemResponses(addWorkflowEventSchemas(SwaggerModule.createDocument(app, config)));
}

/** Serves Swagger UI at `/api/docs` and the OpenAPI document at `/api/docs-json`. */
export function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, openApiDocumentOf(app), { jsonDocumentUrl: 'api/docs-json' });
}

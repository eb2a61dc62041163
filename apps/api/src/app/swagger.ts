import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/session-cookies';
import { addWorkflowEventSchemas } from '../event-log/workflow-event-schemas';

/** Serves Swagger UI at `/api/docs` and the OpenAPI document at `/api/docs-json`. */
export function setUpSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Issuecast')
    .setDescription(
      'Drafts a comment on a GitHub issue with a language model and streams the draft as it is written.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addCookieAuth(SESSION_COOKIE)
    .build();
  const document = addWorkflowEventSchemas(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

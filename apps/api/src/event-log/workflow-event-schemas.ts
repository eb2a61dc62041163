import type { OpenAPIObject } from '@nestjs/swagger';
import {
  WORKFLOW_EVENT_TYPES,
  type WorkflowEventType,
  workflowEventSchema,
} from '@issuecast/workflow-events';
import { z } from 'zod';

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

/** The OpenAPI component name of each event type's schema. */
function eventSchemaName(type: WorkflowEventType): string {
  return `WorkflowEvent_${type}`;
}

/**
 * Adds a schema for every event type to the document, generated from the contract library's own
 * schemas so that the documentation cannot drift from what the server sends.
 */
export function addWorkflowEventSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = ((document.components ??= {}).schemas ??= {});
  for (const option of workflowEventSchema.options) {
    const type = option.shape.type.value;
    schemas[eventSchemaName(type)] = z.toJSONSchema(option, { target: 'openapi-3.0' }) as SchemaObject;
  }
  return document;
}

/** A `oneOf` over every event type, for the SSE response. */
export const anyWorkflowEventSchema: SchemaObject = {
  oneOf: WORKFLOW_EVENT_TYPES.map((type) => ({ $ref: eventSchemaRef(type) })),
  discriminator: {
    propertyName: 'type',
    mapping: Object.fromEntries(WORKFLOW_EVENT_TYPES.map((type) => [type, eventSchemaRef(type)])),
  },
};

function eventSchemaRef(type: WorkflowEventType): string {
  return `#/components/schemas/${eventSchemaName(type)}`;
}

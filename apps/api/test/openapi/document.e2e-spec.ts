import { WORKFLOW_EVENT_TYPES } from '@issuecast/workflow-events';
import { operationsOf, useServedDocument } from './served-document';

interface Schema {
  type?: string;
  $ref?: string;
  oneOf?: Schema[];
  required?: string[];
  properties?: Record<string, Schema>;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
}
interface Operation {
  tags?: string[];
  description?: string;
  security?: unknown[];
  parameters?: { name: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<
    string,
    { content?: Record<string, { schema: Schema }>; headers?: Record<string, { schema: Schema }> }
  >;
}
interface OpenApiDocument {
  servers?: { url: string }[];
  info: { license?: { name: string } };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const PROBLEM = { $ref: '#/components/schemas/ProblemDetails' };

describe('the OpenAPI document, for a client generator', () => {
  const served = useServedDocument<OpenApiDocument>();

  const operations = () => operationsOf(served().paths);
  const operation = (method: string, path: string) => served().paths[path][method];

  it('names its server, its license, and every tag it uses with a description', () => {
    expect(served().servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(served().info.license?.name).toBe('MIT');
    const declared = new Map((served().tags ?? []).map(({ name, description }) => [name, description]));
    for (const { name, operation } of operations()) {
      for (const tag of operation.tags ?? [])
        expect({ name, tag, described: Boolean(declared.get(tag)) }).toEqual({ name, tag, described: true });
    }
  });

  it('describes every operation, and answers its errors with the problem schema, one of them 4xx', () => {
    for (const { name, operation } of operations()) {
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      expect({ name, described: Boolean(operation.description) }).toEqual({ name, described: true });
      expect({ name, has4xx: errors.some(([status]) => status.startsWith('4')) }).toEqual({
        name,
        has4xx: true,
      });
      for (const [status, response] of errors) {
        expect({ name, status, content: response.content }).toEqual({
          name,
          status,
          content: { 'application/problem+json': { schema: PROBLEM } },
        });
      }
    }
    expect(served().components.schemas['ProblemDetails'].required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance']),
    );
  });

  it('lists the errors each route really answers', () => {
    const statuses = (method: string, path: string) => Object.keys(operation(method, path).responses);

    expect(statuses('post', '/api/workflows/comment-on-issue')).toEqual(
      expect.arrayContaining(['400', '401', '403', '413', '415', '429', '503']),
    );
    expect(statuses('post', '/api/workflows/{workflowId}/post')).toEqual(
      expect.arrayContaining(['400', '401', '403', '404', '409', '422', '429', '502', '503']),
    );
    expect(statuses('get', '/api/workflows/{workflowId}/events')).toEqual(
      expect.arrayContaining(['400', '401', '403', '404', '429']),
    );
    expect(statuses('get', '/api/health/ready')).toEqual(expect.arrayContaining(['403', '503']));
    expect(statuses('get', '/api/health')).not.toContain('401');
    for (const { operation } of operations()) expect(Object.keys(operation.responses)).toContain('500');
  });

  it('declares Retry-After on every 429', () => {
    const tooMany = operations().filter(({ operation }) => operation.responses['429']);

    expect(tooMany.length).toBeGreaterThanOrEqual(3);
    for (const { operation } of tooMany) {
      expect(operation.responses['429'].headers?.['Retry-After'].schema.type).toBe('integer');
    }
  });

  it('types page, pageSize, issueNumber and lastEventId as integers', () => {
    const parameter = (method: string, path: string, name: string) =>
      operation(method, path).parameters?.find((candidate) => candidate.name === name)?.schema.type;

    expect(parameter('get', '/api/workflows', 'page')).toBe('integer');
    expect(parameter('get', '/api/workflows', 'pageSize')).toBe('integer');
    expect(parameter('get', '/api/workflows/{workflowId}/events', 'lastEventId')).toBe('integer');
    expect(served().components.schemas['WorkflowSnapshotDto'].properties?.['lastEventId'].type).toBe(
      'integer',
    );
    expect(served().components.schemas['IssueRefDto'].properties?.['number'].type).toBe('integer');
  });

  it('says the start body is either an issue on GitHub or a pasted one', () => {
    const body = operation('post', '/api/workflows/comment-on-issue').requestBody?.content['application/json']
      .schema;

    expect(body?.oneOf?.map(({ required }) => required)).toEqual([['repository', 'issueNumber'], ['issue']]);
    expect(body?.oneOf?.[0].properties?.['issueNumber'].type).toBe('integer');
  });

  it('maps each wire type of an event to its schema', () => {
    const events = operation('get', '/api/workflows/{workflowId}/events').responses['200'].content?.[
      'text/event-stream'
    ].schema;

    expect(events?.discriminator?.propertyName).toBe('type');
    expect(events?.discriminator?.mapping).toEqual(
      Object.fromEntries(
        WORKFLOW_EVENT_TYPES.map((type) => [type, `#/components/schemas/WorkflowEvent_${type}`]),
      ),
    );
  });
});

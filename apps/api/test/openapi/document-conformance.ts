import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
}

/**
 * Checks answers against the OpenAPI document the app serves: a JSON answer of a documented route must have a status
 * the document lists for that operation and a body its schema accepts. Routes the document leaves out are not checked.
 */
export class DocumentConformance {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: string[];
  private readonly document: OpenApiDocument;

  /** `document`: the JSON the app serves at `/api/docs-json`. */
  constructor(document: unknown) {
    this.document = document as OpenApiDocument;
    addFormats(this.ajv);
    this.ajv.addSchema(this.document, 'openapi');
    this.templates = Object.keys(this.document.paths);
  }

  /** Throws, naming the operation and what is wrong, when `body` (the answer to `method path`) breaks the document. */
  check(method: string, url: URL, status: number, contentType: string, body: unknown): void {
    const template = this.templates.find((candidate) => matchesTemplate(candidate, url.pathname));
    const operation = template && this.document.paths[template][method.toLowerCase()];
    if (!template || !operation) return;
    const name = `${method} ${template} → ${status}`;
    const answer = operation.responses[String(status)];
    if (!answer) throw new Error(`${name}: the document lists no ${status} for this operation`);
    const mediaType = Object.keys(answer.content ?? {}).find((type) => contentType.startsWith(type));
    if (!mediaType) throw new Error(`${name}: the document lists no ${contentType} answer`);

    const validate = this.validatorFor(template, method.toLowerCase(), String(status), mediaType);
    if (!validate(body)) {
      throw new Error(`${name}: the body breaks the document: ${this.ajv.errorsText(validate.errors)}`);
    }
  }

  private validatorFor(
    template: string,
    method: string,
    status: string,
    mediaType: string,
  ): ValidateFunction {
    const pointer = ['paths', template, method, 'responses', status, 'content', mediaType, 'schema']
      .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1'))
      .join('/');
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi#/${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }
}

/** Whether `pathname` is a path of `template` (`/api/workflows/{workflowId}`), segment by segment. */
function matchesTemplate(template: string, pathname: string): boolean {
  const expected = template.split('/');
  const actual = pathname.split('/');
  return (
    expected.length === actual.length &&
    expected.every((segment, i) => (segment.startsWith('{') ? actual[i] !== '' : segment === actual[i]))
  );
}

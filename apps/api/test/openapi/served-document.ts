import { startTestApp, type TestApp } from '../test-app';

/** The OpenAPI document the app serves, read as any client reads it. */
async function servedDocument<Document>(api: TestApp): Promise<Document> {
  return (await (await api.request('/api/docs-json', { as: 'anonymous' })).json()) as Document;
}

/** Starts the app for the enclosing `describe` and hands its tests the document it serves. */
export function useServedDocument<Document>(): () => Document {
  let api: TestApp;
  let document: Document;
  beforeAll(async () => {
    api = await startTestApp();
    document = await servedDocument<Document>(api);
  });
  afterAll(() => api.close());
  return () => document;
}

/** Every operation of a document's paths, named `METHOD /path`. */
export function operationsOf<Operation>(
  paths: Record<string, Record<string, Operation>>,
): { name: string; operation: Operation }[] {
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );
}

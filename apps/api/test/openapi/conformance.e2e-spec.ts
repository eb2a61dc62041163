import type { RunStarted } from '@issuecast/workflows-api';
import { startTestApp, type TestApp } from '../test-app';
import { DocumentConformance } from './document-conformance';

describe(DocumentConformance.name, () => {
  let api: TestApp;
  let conformance: DocumentConformance;
  let started: RunStarted;

  beforeAll(async () => {
    api = await startTestApp();
    conformance = new DocumentConformance(await (await api.request('/api/docs-json')).json());
    const response = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: { issue: { title: 'Crash on save' } },
    });
    started = (await response.json()) as RunStarted;
  });
  afterAll(() => api.close());

  const startUrl = () => new URL(`${api.baseUrl}/api/workflows/comment-on-issue`);
  const json = 'application/json; charset=utf-8';

  it('accepts a real answer, as every request of the API tests is checked', () => {
    expect(() => conformance.check('POST', startUrl(), 202, json, started)).not.toThrow();
  });

  it('refuses a body the schema does not describe, naming the operation and the field', () => {
    expect(() => conformance.check('POST', startUrl(), 202, json, { ...started, status: 'bogus' })).toThrow(
      /POST \/api\/workflows\/comment-on-issue → 202: the body breaks the document: .*status/,
    );
  });

  it('refuses a status the document does not list for the operation', () => {
    expect(() => conformance.check('GET', new URL(`${api.baseUrl}/api/workflows`), 418, json, {})).toThrow(
      /GET \/api\/workflows → 418: the document lists no 418/,
    );
  });

  it('accepts a real event of the stream and refuses one its schema does not describe', async () => {
    const eventsUrl = new URL(`${api.baseUrl}/api/workflows/${started.workflowId}/events`);
    const [first] = (await api.readSse(eventsUrl.pathname)).events;
    const stream = 'text/event-stream';

    expect(() => conformance.check('GET', eventsUrl, 200, stream, first)).not.toThrow();
    expect(() => conformance.check('GET', eventsUrl, 200, stream, { ...first, id: 0 })).toThrow(
      /GET \/api\/workflows\/\{workflowId\}\/events → 200: the body breaks the document/,
    );
    expect(() => conformance.check('GET', eventsUrl, 200, stream, { ...first, type: 'progress' })).toThrow(
      /breaks the document/,
    );
  });

  it('refuses a problem answer that lacks the problem fields', () => {
    expect(() =>
      conformance.check('GET', new URL(`${api.baseUrl}/api/workflows/x`), 404, 'application/problem+json', {
        message: 'Not found',
      }),
    ).toThrow(/breaks the document/);
  });
});

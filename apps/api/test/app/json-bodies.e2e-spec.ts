import type { RunPage } from '@issuecast/workflows-api';
import { expectProblem } from '../problem-details';
import { startTestApp, type TestApp } from '../test-app';
import { acceptJsonObjectBodiesOnly } from '../../src/app/json-bodies';

const ROUTES = [
  '/api/workflows/comment-on-issue',
  '/api/auth/login',
  '/api/workflows/00000000-0000-4000-8000-000000000000/cancel',
  '/api/no-such-route',
];

const OVERSIZED = JSON.stringify({ issue: { title: 'Big', body: 'a'.repeat(129 * 1024) } });

describe(acceptJsonObjectBodiesOnly.name, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  function post(path: string, body: BodyInit, contentType?: string): Promise<Response> {
    return fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${api.tokens.alice}`,
        ...(contentType ? { 'content-type': contentType } : {}),
      },
      body,
    });
  }

  async function runsStarted(): Promise<number> {
    return ((await (await api.request('/api/workflows')).json()) as RunPage).total;
  }

  describe.each(ROUTES)('POST %s', (path) => {
    it.each([
      ['malformed JSON', '{"issue": {"title": ', 400, 'The request body is not valid JSON'],
      ['a JSON null', 'null', 400, 'The request body must be a JSON object'],
      ['a JSON array', '[]', 400, 'The request body must be a JSON object'],
      ['a JSON string', '"x"', 400, 'The request body must be a JSON object'],
      ['a JSON number', '1', 400, 'The request body must be a JSON object'],
      ['a body over 128 kB', OVERSIZED, 413, 'The request body is too large: the limit is 128 kB'],
    ])('answers %s with %i saying so, and starts nothing', async (_case, body, status, message) => {
      const before = await runsStarted();

      const response = await post(path, body, 'application/json');

      await expectProblem(response, { status, instance: path, detail: message });
      expect(await runsStarted()).toBe(before);
    });

    it.each([
      [
        'form-encoded',
        'issue[title]=x&issue[body]=y&username=alice&password=alice-password',
        'application/x-www-form-urlencoded',
      ],
      ['plain text', '{"issue":{"title":"x","body":"y"}}', 'text/plain'],
      ['no content type', '{"issue":{"title":"x","body":"y"}}', undefined],
    ])('answers a %s body with 415: the API takes JSON only', async (_case, body, contentType) => {
      const before = await runsStarted();

      const response = await post(path, new Blob([body], { type: contentType ?? '' }), contentType);

      await expectProblem(response, {
        status: 415,
        instance: path,
        detail: 'The API takes JSON only: send the body as application/json',
      });
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(await runsStarted()).toBe(before);
    });
  });

  it('answers a multipart form with 415 and neither starts a run nor signs in', async () => {
    const before = await runsStarted();
    const form = new FormData();
    form.set('issue[title]', 'x');
    form.set('username', 'alice');
    form.set('password', 'alice-password');

    const start = await post('/api/workflows/comment-on-issue', form);
    const login = await post('/api/auth/login', form);

    expect([start.status, login.status]).toEqual([415, 415]);
    expect(login.headers.get('set-cookie')).toBeNull();
    expect(await runsStarted()).toBe(before);
  });

  it('answers a body in a charset other than UTF-8 with 415', async () => {
    const response = await post(
      '/api/auth/login',
      '{"username":"alice"}',
      'application/json; charset=iso-8859-1',
    );

    expect(response.status).toBe(415);
  });

  it('still takes a JSON object, and a POST without a body', async () => {
    const started = await post(
      '/api/workflows/comment-on-issue',
      JSON.stringify({ issue: { title: 'Crash on save', body: 'Saving crashes.' } }),
      'application/json',
    );
    const logout = await fetch(`${api.baseUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await api.signIn('alice')}` },
    });

    expect(started.status).toBe(202);
    expect(logout.status).toBe(204);
  });
});

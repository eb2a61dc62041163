import { RunStore } from '../../src/store/run-store';
import { expectProblem } from '../problem-details';
import { startTestApp, type TestApp } from '../test-app';

// A file of its own: its app must be the first of the file for its log lines to be kept (test-app.ts).
describe('an unforeseen failure', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ LOG_LEVEL: 'error' });
    await api.app.get(RunStore).close();
  });
  afterAll(() => api.close());

  it('is answered 500 without its message, and logged with the request id', async () => {
    const response = await api.request('/api/workflows');

    const problem = await expectProblem(response, {
      status: 500,
      instance: '/api/workflows',
      detail: 'Something went wrong on the server; try again later',
    });
    expect(JSON.stringify(problem)).not.toMatch(/database/i);
    const requestId = response.headers.get('x-request-id');
    const logged = api.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        requestId,
        level: 50,
        context: 'ExceptionsHandler',
        code: 'ERR_INVALID_STATE',
      }),
    );
  });
});

import { ProblemDetailsFilter } from '../../src/app/problem-details/problem-details.filter';
import { expectProblem } from '../problem-details';
import { startTestApp, type TestApp } from '../test-app';

const START = '/api/workflows/comment-on-issue';
const UNKNOWN_RUN = '/api/workflows/00000000-0000-4000-8000-000000000000';

describe(ProblemDetailsFilter.name, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  describe('a request the ValidationPipe refuses', () => {
    it('answers 400 listing each invalid field of the body with its message, nested ones by their path', async () => {
      const response = await api.request(START, {
        method: 'POST',
        body: { repository: 'not a repository', issueNumber: 0, issue: { title: ' ' }, extra: true },
      });

      const problem = await expectProblem(response, {
        status: 400,
        instance: START,
        detail: expect.stringContaining('repository must look like owner/name'),
      });
      expect(problem['errors']).toEqual([
        { field: 'extra', message: 'property extra should not exist' },
        { field: 'repository', message: 'repository must look like owner/name' },
        { field: 'issueNumber', message: 'issueNumber must not be less than 1' },
        { field: 'issue.title', message: 'issue.title must not be blank' },
      ]);
      expect(problem['detail']).toBe(
        (problem['errors'] as { message: string }[]).map(({ message }) => message).join('; '),
      );
    });

    it('answers 400 naming the query parameter, with the request path (not its query) as the instance', async () => {
      const response = await api.request('/api/workflows?pageSize=500');

      const problem = await expectProblem(response, {
        status: 400,
        instance: '/api/workflows',
        detail: 'pageSize must not be greater than 100',
      });
      expect(problem['errors']).toEqual([
        { field: 'pageSize', message: 'pageSize must not be greater than 100' },
      ]);
    });
  });

  it('answers a request without a session with 401', async () => {
    await expectProblem(await api.request('/api/auth/me', { as: 'anonymous' }), {
      status: 401,
      instance: '/api/auth/me',
      detail: expect.stringMatching(/sign in/i),
    });
  });

  it('answers a request from a foreign Origin with 403', async () => {
    const response = await api.request('/api/workflows', { headers: { origin: 'https://evil.example' } });

    await expectProblem(response, {
      status: 403,
      instance: '/api/workflows',
      detail: 'Requests from https://evil.example are not allowed',
    });
  });

  it('answers an unknown run and an unknown route with 404, without an errors list', async () => {
    const run = await expectProblem(await api.request(UNKNOWN_RUN), {
      status: 404,
      instance: UNKNOWN_RUN,
      detail: expect.stringContaining('was not found'),
    });
    await expectProblem(await api.request('/api/no-such-route'), {
      status: 404,
      instance: '/api/no-such-route',
      detail: 'Cannot GET /api/no-such-route',
    });
    expect(run).not.toHaveProperty('errors');
  });

  it('answers 409 when the run cannot do what is asked', async () => {
    const started = await api.request(START, { method: 'POST', body: { issue: { title: 'Crash' } } });
    const { workflowId } = (await started.json()) as { workflowId: string };

    const response = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });

    await expectProblem(response, {
      status: 409,
      instance: `/api/workflows/${workflowId}/post`,
      detail: `Workflow ${workflowId} has no GitHub issue to post to`,
    });
  });
});

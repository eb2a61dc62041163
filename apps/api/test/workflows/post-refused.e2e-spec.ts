import type { RunSnapshot, RunStarted } from '@issuecast/workflows-api';
import {
  type FakeGitHub,
  rateLimitAnswer,
  type ScriptedAnswer,
  startFakeGitHub,
} from '../fake-github/fake-github-server';
import { type FakeOpenAi, startFakeOpenAi } from '../fake-openai-server';
import { envFor, FILES, GITHUB_TOKEN, REPOSITORY } from './repository-app';
import { expectProblem } from '../problem-details';
import { startTestApp, type TestApp } from '../test-app';

describe('posting a comment later, when GitHub refuses it', () => {
  let openai: FakeOpenAi;
  let github: FakeGitHub;

  beforeAll(async () => {
    openai = await startFakeOpenAi();
    github = await startFakeGitHub({ token: GITHUB_TOKEN });
    github.addRepository(REPOSITORY, { files: FILES });
    github.addIssue(REPOSITORY, { number: 1, title: 'Export to CSV drops the last row' });
  });

  afterAll(async () => {
    await github.close();
    await openai.close();
  });

  /** A fresh app per case: the throttling plugin spaces one client's comment creates 3 s apart. */
  async function withApp(test: (api: TestApp) => Promise<void>, env: Record<string, string> = {}) {
    const api = await startTestApp(envFor(openai, github, env));
    try {
      await test(api);
    } finally {
      await api.close();
    }
  }

  async function finishedRun(api: TestApp): Promise<string> {
    const response = await api.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: { repository: REPOSITORY, issueNumber: 1 },
    });
    const { workflowId, eventsUrl } = (await response.json()) as RunStarted;
    await api.readSse(eventsUrl);
    return workflowId;
  }

  const CREATE = `/repos/${REPOSITORY}/issues/1/comments`;

  it.each<[string, number, ScriptedAnswer, RegExp]>([
    [
      '401',
      403,
      { status: 401 },
      /GitHub rejected the configured token \(GITHUB_TOKEN\) while posting a comment on acme\/widgets#1\./,
    ],
    [
      '403 not accessible by integration',
      403,
      { status: 403, message: 'Resource not accessible by integration' },
      /refused posting a comment on acme\/widgets#1: the GitHub App .* lacks the "Issues: write" permission/,
    ],
    [
      '404',
      422,
      { status: 404 },
      /acme\/widgets#1 was not found, or it is not visible to the configured token\./,
    ],
    [
      '410',
      422,
      { status: 410 },
      /acme\/widgets#1 is gone: it was deleted, or issues are disabled in acme\/widgets\./,
    ],
    [
      '422',
      422,
      {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'Body is too long' }],
        },
      },
      /refused posting a comment on acme\/widgets#1 as invalid \(GitHub said: "Validation Failed: Body is too long"\)\./,
    ],
  ])(
    'answers GitHub’s %s with %i and a message that says what to do, the draft fixed from then on',
    async (_case, status, answer, message) => {
      await withApp(async (api) => {
        const workflowId = await finishedRun(api);
        github.failNext(CREATE, { ...answer, method: 'POST' });

        const response = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });

        await expectProblem(response, {
          status,
          instance: `/api/workflows/${workflowId}/post`,
          detail: expect.stringMatching(message),
        });
        expect(
          github.commentsOf(REPOSITORY, 1).filter((comment) => comment.body.includes(workflowId)),
        ).toHaveLength(0);
        const snapshot = (await (await api.request(`/api/workflows/${workflowId}`)).json()) as RunSnapshot;
        expect(snapshot.commentUrl).toBeUndefined();
        expect(Date.parse(snapshot.postingAttemptedAt ?? '')).not.toBeNaN();
        await expectProblem(
          await api.request(`/api/workflows/${workflowId}/draft`, {
            method: 'PUT',
            body: { draft: 'Edited' },
          }),
          {
            status: 409,
            instance: `/api/workflows/${workflowId}/draft`,
            detail: expect.stringMatching(/can no longer be edited/),
          },
        );
      });
    },
  );

  it('answers a spent rate limit with 429, its reset time and a Retry-After', async () => {
    await withApp(async (api) => {
      const workflowId = await finishedRun(api);
      const resetsAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 120_000);
      github.failNext(CREATE, rateLimitAnswer(resetsAt, 'POST'));

      const response = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });

      await expectProblem(response, {
        status: 429,
        instance: `/api/workflows/${workflowId}/post`,
        detail: expect.stringContaining(`it resets at ${resetsAt.toISOString().replace('.000Z', 'Z')}`),
      });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(60);
      expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    });
  });

  it('answers 502 when GitHub fails with a server error on every try, saying to try again later', async () => {
    await withApp(
      async (api) => {
        const workflowId = await finishedRun(api);
        for (let attempt = 0; attempt <= 2; attempt++)
          github.failNext(CREATE, { status: 503, method: 'POST' });

        const response = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });

        await expectProblem(response, {
          status: 502,
          instance: `/api/workflows/${workflowId}/post`,
          detail: `GitHub could not be reached while posting a comment on ${REPOSITORY}#1 (status 503). Try again later.`,
        });
        expect(github.commentsOf(REPOSITORY, 1).filter((c) => c.body.includes(workflowId))).toHaveLength(0);
      },
      { GITHUB_MAX_RETRIES: '2' },
    );
  });

  it('leaves one comment when the create times out after GitHub made it, and answers its URL', async () => {
    await withApp(
      async (api) => {
        const workflowId = await finishedRun(api);
        github.failNext(CREATE, { stallAfterHandling: true, method: 'POST' });

        const response = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });
        const snapshot = (await response.json()) as RunSnapshot;

        const mine = github.commentsOf(REPOSITORY, 1).filter((comment) => comment.body.includes(workflowId));
        expect(response.status).toBe(200);
        expect(mine).toHaveLength(1);
        expect(snapshot.commentUrl).toBe(mine[0].html_url);
      },
      { GITHUB_TIMEOUT_MS: '500' },
    );
  });

  it('posts later the draft of a run whose own post GitHub refused', async () => {
    await withApp(async (api) => {
      github.failNext(CREATE, {
        status: 403,
        message: 'Resource not accessible by integration',
        method: 'POST',
      });
      const response = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        body: { repository: REPOSITORY, issueNumber: 1, postToGitHub: true },
      });
      const { workflowId, eventsUrl } = (await response.json()) as RunStarted;
      const { events } = await api.readSse(eventsUrl);

      const later = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });
      const snapshot = (await later.json()) as RunSnapshot;

      expect(events.at(-1)).toMatchObject({ type: 'error', data: { code: 'github_failed' } });
      expect(events.at(-1)?.data.content).toMatch(/^The comment was drafted but not posted\./);
      expect(later.status).toBe(200);
      const mine = github.commentsOf(REPOSITORY, 1).filter((comment) => comment.body.includes(workflowId));
      expect(mine.map((comment) => comment.body)).toEqual([
        `${snapshot.text}\n\n<!-- issuecast:run=${workflowId} -->`,
      ]);
      expect(snapshot).toMatchObject({ status: 'failed', commentUrl: mine[0].html_url });
    });
  });

  it('lets a post that failed be tried again, and then posts once', async () => {
    await withApp(async (api) => {
      const workflowId = await finishedRun(api);
      github.failNext(CREATE, {
        status: 403,
        message: 'Resource not accessible by integration',
        method: 'GET',
      });

      const refused = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });
      const retried = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });

      expect(refused.status).toBe(403);
      expect(retried.status).toBe(200);
      expect(
        github.commentsOf(REPOSITORY, 1).filter((comment) => comment.body.includes(workflowId)),
      ).toHaveLength(1);
    });
  });
});

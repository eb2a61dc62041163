import { isTerminalEvent, type WorkflowEvent } from '@issuecast/workflow-events';
import { randomUUID } from 'node:crypto';
import {
  type FakeGitHub,
  rateLimitAnswer,
  type ScriptedAnswer,
  startFakeGitHub,
} from '../../test/fake-github/fake-github-server';
import {
  type FakeOpenAi,
  type RecordedRequest as ModelRequest,
  startFakeOpenAi,
  streamAnswer,
  toolCallsAnswer,
} from '../../test/fake-openai-server';
import { startTestApp, type TestApp } from '../../test/test-app';
import type { WorkflowSnapshotDto } from './dto/workflow-snapshot.dto';
import type { WorkflowStartedDto } from './dto/workflow-started.dto';

const GITHUB_TOKEN = 'ghp_integrationTokenThatMustNeverLeak00000';
const OPENAI_API_KEY = 'sk-integration-key-that-must-never-leak-000';
const REPOSITORY = 'acme/widgets';

const CSV_TS = [
  "import type { Row } from './row';",
  '',
  'export function writeRows(rows: Row[], out: string[]): void {',
  '  for (let i = 0; i < rows.length - 1; i++) out.push(rows[i].join(","));',
  '}',
].join('\n');

const FILES = {
  'README.md': '# Widgets\n',
  'src/export/csv.ts': CSV_TS,
  'src/export/row.ts': 'export type Row = string[];\n',
  'src/export/index.ts': "export { writeRows } from './csv';\n",
  // A token committed by mistake: whatever the model reads, it must never see a configured secret.
  'deploy/settings.env': `GITHUB_TOKEN=${GITHUB_TOKEN}\nREGION=eu\n`,
};

/** Everything each test app shares: the fake model and GitHub, the secrets, quick retries. */
function envFor(openai: FakeOpenAi, github: FakeGitHub, env: Record<string, string> = {}) {
  return {
    LLM_PROVIDER: 'openai',
    OPENAI_BASE_URL: openai.baseUrl,
    OPENAI_API_KEY,
    OPENAI_MAX_RETRIES: '0',
    OPENAI_TIMEOUT_MS: '5000',
    GITHUB_API_URL: github.apiUrl,
    GITHUB_TOKEN,
    GITHUB_RETRY_DELAY_MS: '1',
    TOOLS_MAX_CALLS: '3',
    ...env,
  };
}

type ToolEvent = WorkflowEvent<'tool_call'> | WorkflowEvent<'tool_result'>;

function stepsOf(events: WorkflowEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'status' ? [event.data.step] : []));
}

function textOf(events: WorkflowEvent[]): string {
  return events.flatMap((event) => (event.type === 'llm_response' ? [event.data.content] : [])).join('');
}

describe('commentOnIssue on a GitHub repository, over HTTP', () => {
  let openai: FakeOpenAi;
  let github: FakeGitHub;
  let api: TestApp;
  let nextIssue = 100;

  beforeAll(async () => {
    openai = await startFakeOpenAi();
    github = await startFakeGitHub({ token: GITHUB_TOKEN });
    github.addRepository(REPOSITORY, { files: FILES });
    api = await startTestApp(envFor(openai, github));
  });

  afterAll(async () => {
    await api.close();
    await github.close();
    await openai.close();
  });

  /** A new issue of the repository, so each test counts its own comments. */
  function newIssue(body = 'Exporting 10 rows to CSV gives a file with 9.'): number {
    const number = nextIssue++;
    github.addIssue(REPOSITORY, { number, title: 'Export to CSV drops the last row', body, labels: ['bug'] });
    return number;
  }

  async function runToEnd(body: object, app = api) {
    const response = await app.request('/api/workflows/comment-on-issue', { method: 'POST', body });
    expect(response.status).toBe(202);
    const started = (await response.json()) as WorkflowStartedDto;
    const session = await app.readSse(started.eventsUrl);
    return { workflowId: started.workflowId, events: session.events, messages: session.messages };
  }

  async function snapshotOf(workflowId: string, app = api): Promise<WorkflowSnapshotDto> {
    return (await (await app.request(`/api/workflows/${workflowId}`)).json()) as WorkflowSnapshotDto;
  }

  function postLater(workflowId: string, app = api, as: 'alice' | 'bob' = 'alice') {
    return app.request(`/api/workflows/${workflowId}/post`, { method: 'POST', as });
  }

  /** The model requests made from now on. */
  function modelRequestsFrom(): () => ModelRequest[] {
    const from = openai.requests.length;
    return () => openai.requests.slice(from);
  }

  describe('reading the repository', () => {
    it('reads files through the tools and streams a comment that names them', async () => {
      const issueNumber = newIssue();
      github.addComment(REPOSITORY, issueNumber, { author: 'bob', body: 'Same with 3 rows: I get 2.' });
      const requests = modelRequestsFrom();
      openai.script(
        toolCallsAnswer({ id: 'call_search', name: 'search_code', arguments: { query: 'writeRows' } }),
        toolCallsAnswer({ id: 'call_read', name: 'read_file', arguments: { path: 'src/export/csv.ts' } }),
        streamAnswer([
          'The last row is lost in `writeRows` ',
          '(src/export/csv.ts): its loop stops at `rows.length - 1`. ',
          'Plan: loop to `rows.length` and add a test with one row.',
        ]),
      );

      const { events, messages } = await runToEnd({ repository: REPOSITORY, issueNumber });

      expect(stepsOf(events)).toEqual(['queued', 'fetching_issue', 'reading_repository', 'drafting']);
      const tools = events.filter(
        (event): event is ToolEvent => event.type === 'tool_call' || event.type === 'tool_result',
      );
      expect(tools.map((event) => [event.type, event.data.callId, event.data.tool])).toEqual([
        ['tool_call', 'call_search', 'search_code'],
        ['tool_result', 'call_search', 'search_code'],
        ['tool_call', 'call_read', 'read_file'],
        ['tool_result', 'call_read', 'read_file'],
      ]);
      expect(tools.map((event) => event.data.content)).toEqual([
        'Searching the code for "writeRows"',
        'Found 2 files matching "writeRows"',
        'Reading src/export/csv.ts',
        'Read src/export/csv.ts (5 lines)',
      ]);
      const complete = events.at(-1) as WorkflowEvent<'complete'>;
      expect(complete.type).toBe('complete');
      expect(complete.data.content).toBe(textOf(events));
      expect(complete.data.content).toContain('`writeRows` (src/export/csv.ts)');
      expect(complete.data.commentUrl).toBeUndefined();

      const [first, , last] = requests().map((request) => request.body);
      expect(first?.tools?.map((tool) => tool.function.name)).toEqual([
        'list_files',
        'read_file',
        'search_code',
      ]);
      expect(JSON.stringify(first?.messages)).toContain('Same with 3 rows: I get 2.');
      expect(last?.messages?.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_read' });
      expect(String(last?.messages?.at(-1)?.content)).toContain('i < rows.length - 1');
      // The timeline says what was read; only the model gets the content.
      expect(messages.map((message) => message.data).join('\n')).not.toContain('i < rows.length - 1');
    });

    it('tells the model when a bound is hit, asks for its answer, and says in the comment what was cut short', async () => {
      const requests = modelRequestsFrom();
      openai.script(
        toolCallsAnswer({ name: 'list_files', arguments: { path: 'src' } }),
        toolCallsAnswer(
          { name: 'read_file', arguments: { path: 'src/export/index.ts' } },
          { name: 'read_file', arguments: { path: 'src/export/row.ts' } },
        ),
        streamAnswer(['From the files read, `writeRows` is the likely place.']),
      );

      const { events } = await runToEnd({ repository: REPOSITORY, issueNumber: newIssue() });

      const complete = events.at(-1) as WorkflowEvent<'complete'>;
      expect(complete.data.content).toBe(textOf(events));
      expect(complete.data.content).toMatch(
        /^From the files read, `writeRows` is the likely place\.\n\n---\n\n\*\*Note:\*\* Issuecast stopped reading acme\/widgets before the model was done: it reached the limit of 3 tool calls\./,
      );
      const final = requests().at(-1)?.body;
      expect(final?.tool_choice).toBe('none');
      expect(JSON.stringify(final?.messages?.at(-1))).toContain('you have reached the limit of 3 tool calls');
    });
  });

  describe('posting', () => {
    it('posts when asked at the start: posting, then complete with the commentUrl; the comment is the text plus the marker', async () => {
      const issueNumber = newIssue();

      const { workflowId, events } = await runToEnd({
        repository: REPOSITORY,
        issueNumber,
        postToGitHub: true,
      });

      expect(stepsOf(events).slice(-2)).toEqual(['drafting', 'posting']);
      const complete = events.at(-1) as WorkflowEvent<'complete'>;
      const comments = github.commentsOf(REPOSITORY, issueNumber);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toBe(`${complete.data.content}\n\n<!-- issuecast:run=${workflowId} -->`);
      expect(complete.data.commentUrl).toBe(comments[0].html_url);
      expect(await snapshotOf(workflowId)).toMatchObject({
        status: 'completed',
        commentUrl: comments[0].html_url,
      });
    });

    it('posts a finished draft later, once, however often and however concurrently it is asked', async () => {
      const issueNumber = newIssue();
      const { workflowId, events } = await runToEnd({ repository: REPOSITORY, issueNumber });

      const response = await postLater(workflowId);
      const snapshot = (await response.json()) as WorkflowSnapshotDto;
      const again = await Promise.all([postLater(workflowId), postLater(workflowId), postLater(workflowId)]);

      const comments = github.commentsOf(REPOSITORY, issueNumber);
      expect(response.status).toBe(200);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toBe(`${textOf(events)}\n\n<!-- issuecast:run=${workflowId} -->`);
      expect(snapshot).toMatchObject({ workflowId, status: 'completed', commentUrl: comments[0].html_url });
      for (const repeat of again) {
        expect(repeat.status).toBe(200);
        expect(((await repeat.json()) as WorkflowSnapshotDto).commentUrl).toBe(comments[0].html_url);
      }
      expect(
        github.requests.filter(
          (request) => request.method === 'POST' && request.path.includes(`/${issueNumber}/`),
        ),
      ).toHaveLength(1);
      // The run's events stay as they were: one terminal event, last.
      const replay = await api.readSse(`/api/workflows/${workflowId}/events`);
      expect(replay.events).toEqual(events);
      expect(replay.events.filter(isTerminalEvent)).toHaveLength(1);
    });

    it('refuses postToGitHub without a GitHub issue, naming the field', async () => {
      const pasted = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        body: { issue: { title: 'Crash' }, repository: REPOSITORY, postToGitHub: true },
      });
      const notBoolean = await api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        body: { repository: REPOSITORY, issueNumber: 1, postToGitHub: 'yes' },
      });

      expect(pasted.status).toBe(400);
      expect(await pasted.json()).toMatchObject({
        message: expect.stringContaining('postToGitHub needs a GitHub issue'),
      });
      expect(notBoolean.status).toBe(400);
      expect(JSON.stringify(await notBoolean.json())).toContain('postToGitHub must be a boolean value');
    });

    it('answers 409 for a run without a GitHub issue, a run still going and a run that failed before drafting', async () => {
      const pasted = await runToEnd({ issue: { title: 'Crash on save' } });
      const failed = await runToEnd({ repository: REPOSITORY, issueNumber: 99_999 });
      openai.script(streamAnswer(['Still writing'], { end: 'stall' }));
      const running = (await (
        await api.request('/api/workflows/comment-on-issue', {
          method: 'POST',
          body: { repository: REPOSITORY, issueNumber: newIssue() },
        })
      ).json()) as WorkflowStartedDto;
      const stream = await api.openSse(running.eventsUrl);
      await stream.waitFor((event) => event.type === 'llm_response');
      stream.abort();

      const answers = await Promise.all([
        postLater(pasted.workflowId),
        postLater(failed.workflowId),
        postLater(running.workflowId),
      ]);
      await api.request(`/api/workflows/${running.workflowId}/cancel`, { method: 'POST' });

      expect(answers.map((answer) => answer.status)).toEqual([409, 409, 409]);
      const messages = await Promise.all(
        answers.map(async (answer) => ((await answer.json()) as { message: string }).message),
      );
      expect(messages).toEqual([
        `Workflow ${pasted.workflowId} has no GitHub issue to post to`,
        `Workflow ${failed.workflowId} ended (failed) without a comment to post`,
        `Workflow ${running.workflowId} is still running`,
      ]);
    });

    it("answers 404 for another user's run and for an unknown one, and posts nothing", async () => {
      const issueNumber = newIssue();
      const { workflowId } = await runToEnd({ repository: REPOSITORY, issueNumber });

      const bob = await postLater(workflowId, api, 'bob');
      const unknown = await postLater(randomUUID());

      expect(bob.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(github.commentsOf(REPOSITORY, issueNumber)).toHaveLength(0);
    });
  });

  describe('GitHub failing to give the issue', () => {
    const resetsAt = new Date(Date.UTC(2030, 0, 1));

    it.each<[string, ScriptedAnswer, RegExp, boolean]>([
      [
        '401',
        { status: 401 },
        /GitHub rejected the configured token \(GITHUB_TOKEN\) while fetching acme\/widgets#\d+\./,
        false,
      ],
      [
        '403 not accessible by integration',
        { status: 403, message: 'Resource not accessible by integration' },
        /GitHub App behind the token is not installed on acme\/widgets or lacks the "Issues: read" permission/,
        false,
      ],
      [
        '404',
        { status: 404 },
        /acme\/widgets#\d+ was not found, or it is not visible to the configured token\./,
        false,
      ],
      [
        '410',
        { status: 410 },
        /acme\/widgets#\d+ is gone: it was deleted, or issues are disabled in acme\/widgets\./,
        false,
      ],
      [
        '422',
        { status: 422 },
        /GitHub refused fetching acme\/widgets#\d+ as invalid \(GitHub said: "Validation Failed"\)\./,
        false,
      ],
      [
        'a spent rate limit',
        rateLimitAnswer(resetsAt),
        /rate limit was reached while fetching acme\/widgets#\d+; it resets at 2030-01-01T00:00:00Z\./,
        true,
      ],
    ])('ends the run with a clear github_failed error on %s', async (_case, answer, message, retryable) => {
      const issueNumber = newIssue();
      github.failNext(`/repos/${REPOSITORY}/issues/${issueNumber}`, answer);
      const requests = modelRequestsFrom();

      const { workflowId, events } = await runToEnd({ repository: REPOSITORY, issueNumber });

      expect(events.filter(isTerminalEvent)).toEqual([events.at(-1)]);
      expect(events.at(-1)).toMatchObject({ type: 'error', data: { code: 'github_failed', retryable } });
      expect(events.at(-1)?.data.content).toMatch(message);
      expect(requests()).toHaveLength(0);
      expect(await snapshotOf(workflowId)).toMatchObject({
        status: 'failed',
        error: { code: 'github_failed', retryable },
      });
    });
  });
});

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
    const { workflowId, eventsUrl } = (await response.json()) as WorkflowStartedDto;
    await api.readSse(eventsUrl);
    return workflowId;
  }

  const CREATE = `/repos/${REPOSITORY}/issues/1/comments`;

  it.each<[string, ScriptedAnswer, number, RegExp]>([
    [
      '401',
      { status: 401 },
      403,
      /GitHub rejected the configured token \(GITHUB_TOKEN\) while posting a comment on acme\/widgets#1\./,
    ],
    [
      '403 not accessible by integration',
      { status: 403, message: 'Resource not accessible by integration' },
      403,
      /refused posting a comment on acme\/widgets#1: the GitHub App .* lacks the "Issues: write" permission/,
    ],
    [
      '404',
      { status: 404 },
      422,
      /acme\/widgets#1 was not found, or it is not visible to the configured token\./,
    ],
    [
      '410',
      { status: 410 },
      422,
      /acme\/widgets#1 is gone: it was deleted, or issues are disabled in acme\/widgets\./,
    ],
    [
      '422',
      {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'Body is too long' }],
        },
      },
      422,
      /refused posting a comment on acme\/widgets#1 as invalid \(GitHub said: "Validation Failed: Body is too long"\)\./,
    ],
  ])(
    'answers GitHub’s %s with %i and a message that says what to do',
    async (_case, answer, status, message) => {
      await withApp(async (api) => {
        const workflowId = await finishedRun(api);
        github.failNext(CREATE, { ...answer, method: 'POST' });

        const response = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });

        expect(response.status).toBe(status);
        expect(await response.json()).toEqual({
          statusCode: status,
          error: status === 403 ? 'Forbidden' : 'Unprocessable Entity',
          message: expect.stringMatching(message),
        });
        expect(
          github.commentsOf(REPOSITORY, 1).filter((comment) => comment.body.includes(workflowId)),
        ).toHaveLength(0);
        const snapshot = (await (
          await api.request(`/api/workflows/${workflowId}`)
        ).json()) as WorkflowSnapshotDto;
        expect(snapshot.commentUrl).toBeUndefined();
      });
    },
  );

  it('answers a spent rate limit with 429, its reset time and a Retry-After', async () => {
    await withApp(async (api) => {
      const workflowId = await finishedRun(api);
      const resetsAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 120_000);
      github.failNext(CREATE, rateLimitAnswer(resetsAt, 'POST'));

      const response = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });

      expect(response.status).toBe(429);
      expect(await response.json()).toEqual({
        statusCode: 429,
        message: expect.stringContaining(`it resets at ${resetsAt.toISOString().replace('.000Z', 'Z')}`),
      });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(60);
      expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    });
  });

  it('leaves one comment when the create times out after GitHub made it, and answers its URL', async () => {
    await withApp(
      async (api) => {
        const workflowId = await finishedRun(api);
        github.failNext(CREATE, { stallAfterHandling: true, method: 'POST' });

        const response = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });
        const snapshot = (await response.json()) as WorkflowSnapshotDto;

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
      const { workflowId, eventsUrl } = (await response.json()) as WorkflowStartedDto;
      const { events } = await api.readSse(eventsUrl);

      const later = await api.request(`/api/workflows/${workflowId}/post`, { method: 'POST' });
      const snapshot = (await later.json()) as WorkflowSnapshotDto;

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

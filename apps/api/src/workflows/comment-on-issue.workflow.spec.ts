import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { isTerminalEvent, type WorkflowEvent } from '@issuecast/workflow-events';
import type { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { type FakeGitHub, startFakeGitHub } from '../../test/fake-github/fake-github-server';
import { loadConfig } from '../config/load-config';
import { GitHubClient } from '../github/github-client';
import { GitHubContents } from '../github/github-contents';
import { GitHubIssues } from '../github/github-issues';
import { type DraftRequest, type IssueToDraft, LlmProvider } from '../llm/llm-provider';
import type { ToolCallRequest } from '../llm/tool-session';
import { draftOfflineComment } from '../llm/offline-draft';
import { OfflineLlmProvider } from '../llm/offline-llm-provider';
import { InMemoryWorkflowEventLog } from '../event-log/in-memory-workflow-event-log';
import { WorkflowEventEmitter } from '../event-log/workflow-event-emitter.service';
import { CommentOnIssueWorkflow } from './comment-on-issue.workflow';
import { CommentPoster } from './comment-poster.service';
import { RunFailure } from '../run-failure/run-failure';
import { cancelledByUser, interruptedByShutdown } from './run-stop-reasons';
import { type IssueSource, WorkflowRun } from './workflow-run';

const PASTED: IssueToDraft = {
  title: 'Export to CSV drops the last row',
  body: 'When I export a table with 10 rows, the file has 9.',
};

/** A model that streams `deltas`, then fails with `failure` if one is given; it records what it was asked. */
class ScriptedLlm extends LlmProvider {
  readonly requests: DraftRequest[] = [];

  constructor(
    private readonly deltas: string[],
    private readonly failure?: Error,
  ) {
    super();
  }

  async *draftComment(request: DraftRequest): AsyncGenerator<string> {
    this.requests.push(request);
    for (const delta of this.deltas) {
      await Promise.resolve();
      yield delta;
    }
    if (this.failure) throw this.failure;
  }
}

/** A model that reads the repository: each of `calls` through the run's tools, then it streams `deltas`. */
class ReadingLlm extends LlmProvider {
  readonly answers: string[] = [];
  readonly requests: DraftRequest[] = [];

  constructor(
    private readonly calls: ToolCallRequest[],
    private readonly deltas: string[],
  ) {
    super();
  }

  override get supportsTools(): boolean {
    return true;
  }

  async *draftComment(request: DraftRequest): AsyncGenerator<string> {
    this.requests.push(request);
    for (const call of request.tools ? this.calls : [])
      this.answers.push(await (request.tools?.call(call) ?? ''));
    for (const delta of this.deltas) yield delta;
  }
}

const readFile = (path: string, id: string): ToolCallRequest => ({
  id,
  name: 'read_file',
  arguments: JSON.stringify({ path }),
});

interface LogLine {
  level: number;
  msg: string;
  workflowId?: string;
  err?: { message: string };
  [field: string]: unknown;
}

describe(CommentOnIssueWorkflow.name, () => {
  let github: FakeGitHub;
  let log: InMemoryWorkflowEventLog;
  let lines: LogLine[];
  let logger: PinoLogger;

  beforeAll(async () => {
    github = await startFakeGitHub();
  });

  afterAll(async () => {
    await github.close();
  });

  beforeEach(() => {
    // The GitHub client reports failed fetches through Nest's logger; these tests expect some.
    for (const level of ['warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
    log = new InMemoryWorkflowEventLog(new EventEmitter2());
    lines = [];
    const destination = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
    logger = { logger: pino({ level: 'trace' }, destination) } as unknown as PinoLogger;
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  function workflowWith(
    llm: LlmProvider,
    maxEvents = 50_000,
    env: Record<string, string> = {},
  ): CommentOnIssueWorkflow {
    const config = loadConfig({
      WORKFLOW_MAX_EVENTS: String(maxEvents),
      GITHUB_API_URL: github.apiUrl,
      ...env,
    });
    // A client per workflow: the throttling plugin spaces the comments one client creates 3 s apart.
    const client = new GitHubClient(config.github);
    const issues = new GitHubIssues(client);
    return new CommentOnIssueWorkflow(
      new WorkflowEventEmitter(log, config.limits),
      issues,
      new GitHubContents(client),
      llm,
      new CommentPoster(issues),
      config.limits,
      config.redaction,
      logger,
    );
  }

  function offlineLlm(): OfflineLlmProvider {
    return new OfflineLlmProvider(loadConfig({ OFFLINE_LLM_DELAY_MS: '0' }).llm);
  }

  function newRun(source: IssueSource = { kind: 'pasted', issue: PASTED }): WorkflowRun {
    const run = new WorkflowRun(randomUUID(), 'alice', source);
    log.create(run.id, 'alice');
    return run;
  }

  function eventsOf(run: WorkflowRun): WorkflowEvent[] {
    return log.readAfter(run.id, 0).map((entry) => entry.event);
  }

  /** Each event as `type` or `type:step|code`, the shape of a run at a glance. */
  function shapeOf(events: WorkflowEvent[]): string[] {
    return events.map((event) => {
      if (event.type === 'status') return `status:${event.data.step}`;
      if (event.type === 'error') return `error:${event.data.code}`;
      return event.type;
    });
  }

  function textOf(events: WorkflowEvent[]): string {
    return events
      .filter((event): event is WorkflowEvent<'llm_response'> => event.type === 'llm_response')
      .map((event) => event.data.content)
      .join('');
  }

  function expectOneTerminalEventLast(events: WorkflowEvent[]): void {
    expect(events.filter(isTerminalEvent)).toHaveLength(1);
    expect(isTerminalEvent(events.at(-1) as WorkflowEvent)).toBe(true);
  }

  it('streams a pasted issue as queued, drafting, the deltas and a complete event holding the whole comment', async () => {
    const run = newRun();

    await workflowWith(offlineLlm()).run(run);

    const events = eventsOf(run);
    const deltas = events.filter((event) => event.type === 'llm_response');
    expect(deltas.length).toBeGreaterThan(5);
    expect(shapeOf(events)).toEqual([
      'status:queued',
      'status:drafting',
      ...deltas.map(() => 'llm_response'),
      'complete',
    ]);
    const complete = events.at(-1) as WorkflowEvent<'complete'>;
    expect(complete.data.content).toBe(textOf(events));
    expect(complete.data.content).toBe(draftOfflineComment(PASTED));
    expectOneTerminalEventLast(events);
  });

  it('numbers the events of a run 1, 2, 3 … without gaps', async () => {
    const run = newRun();

    await workflowWith(new ScriptedLlm(['a', 'b', 'c'])).run(run);

    expect(eventsOf(run).map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('emits the queued event before run() returns its promise', () => {
    const run = newRun();

    const running = workflowWith(new ScriptedLlm(['a'])).run(run);

    expect(shapeOf(eventsOf(run))).toEqual(['status:queued']);
    return running;
  });

  it('hands the model the pasted issue and the run’s signal', async () => {
    const llm = new ScriptedLlm(['ok']);
    const run = newRun();

    await workflowWith(llm).run(run);

    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0].issue).toEqual(PASTED);
    expect(llm.requests[0].signal).toBe(run.signal);
  });

  it('fetches a GitHub issue, reports fetching_issue, drafts from it and sets the run’s title', async () => {
    github.addIssue('acme/widgets', {
      number: 7,
      title: 'Crash on start',
      body: 'It crashes.',
      labels: ['bug'],
    });
    const llm = new ScriptedLlm(['Thanks', ' for the report.']);
    const run = newRun({ kind: 'github', repository: 'acme/widgets', issueNumber: 7 });
    expect(run.title).toBeUndefined();

    await workflowWith(llm).run(run);

    const events = eventsOf(run);
    expect(shapeOf(events)).toEqual([
      'status:queued',
      'status:fetching_issue',
      'status:drafting',
      'llm_response',
      'llm_response',
      'complete',
    ]);
    expect(events[1].data.content).toContain('acme/widgets#7');
    expect(run.title).toBe('Crash on start');
    expect(llm.requests[0].issue).toMatchObject({
      title: 'Crash on start',
      body: 'It crashes.',
      repository: 'acme/widgets',
      number: 7,
      labels: ['bug'],
    });
    expect((events.at(-1) as WorkflowEvent<'complete'>).data.content).toBe('Thanks for the report.');
  });

  it('ends a run whose issue GitHub does not have with one github_failed error, without drafting', async () => {
    const llm = new ScriptedLlm(['never']);
    const run = newRun({ kind: 'github', repository: 'acme/widgets', issueNumber: 404 });

    await workflowWith(llm).run(run);

    const events = eventsOf(run);
    expect(shapeOf(events)).toEqual(['status:queued', 'status:fetching_issue', 'error:github_failed']);
    expect((events.at(-1) as WorkflowEvent<'error'>).data).toMatchObject({
      content: expect.stringContaining('acme/widgets#404') as string,
      retryable: false,
    });
    expect(llm.requests).toHaveLength(0);
    expect(run.title).toBeUndefined();
  });

  it('ends with the code, message and retryability of a RunFailure the model throws, after the deltas it sent', async () => {
    const failure = new RunFailure('llm_failed', 'The model stopped answering; try again.', true);
    const run = newRun();

    await workflowWith(new ScriptedLlm(['Hello', ' wor'], failure)).run(run);

    const events = eventsOf(run);
    expect(shapeOf(events)).toEqual([
      'status:queued',
      'status:drafting',
      'llm_response',
      'llm_response',
      'error:llm_failed',
    ]);
    expect(events.at(-1)?.data).toEqual({
      content: 'The model stopped answering; try again.',
      code: 'llm_failed',
      retryable: true,
    });
  });

  it('turns any other error into a retryable internal error whose message does not leak the error’s text', async () => {
    const leak = 'connect ECONNREFUSED http://admin:hunter2@10.0.0.5:5432';
    const run = newRun();

    await workflowWith(new ScriptedLlm(['Hi'], new Error(leak))).run(run);

    const events = eventsOf(run);
    expectOneTerminalEventLast(events);
    const error = events.at(-1) as WorkflowEvent<'error'>;
    expect(error.data).toMatchObject({ code: 'internal', retryable: true });
    expect(error.data.content).toMatch(/something went wrong/i);
    expect(error.data.content).not.toContain('ECONNREFUSED');
    expect(error.data.content).not.toContain('hunter2');
  });

  it('logs the details of an unexpected error for the operator, at error level', async () => {
    const run = newRun();

    await workflowWith(new ScriptedLlm([], new Error('socket hang up'))).run(run);

    const errorLine = lines.find((line) => line.level === pino.levels.values.error);
    expect(errorLine?.err?.message).toBe('socket hang up');
    expect(errorLine?.workflowId).toBe(run.id);
  });

  it.each([
    ['cancelled by its user', 'cancelled', cancelledByUser],
    ['interrupted by a shutdown', 'interrupted', interruptedByShutdown],
  ])('stops drafting when %s mid-stream and ends with one %s error', async (_case, code, reason) => {
    const run = newRun();
    log.subscribe(run.id, ({ event }) => {
      if (event.type === 'llm_response') run.controller.abort(reason());
    });

    await workflowWith(offlineLlm()).run(run);

    const events = eventsOf(run);
    expect(shapeOf(events)).toEqual(['status:queued', 'status:drafting', 'llm_response', `error:${code}`]);
    expect(events.at(-1)?.data).toEqual(expect.objectContaining({ code, content: reason().message }));
  });

  it('ends as cancelled, not as a GitHub failure, when cancelled while GitHub has not answered', async () => {
    const path = '/repos/acme/slow/issues/1';
    github.failNext(path, { stall: true });
    const run = newRun({ kind: 'github', repository: 'acme/slow', issueNumber: 1 });

    const running = workflowWith(new ScriptedLlm(['never'])).run(run);
    await github.whenRequested(path);
    run.controller.abort(cancelledByUser());
    await running;

    expect(shapeOf(eventsOf(run))).toEqual(['status:queued', 'status:fetching_issue', 'error:cancelled']);
  });

  it('ends a run that reaches the event cap with a limit_exceeded error as its last event', async () => {
    const run = newRun();

    await workflowWith(new ScriptedLlm(Array.from({ length: 30 }, () => 'x')), 10).run(run);

    const events = eventsOf(run);
    expect(events).toHaveLength(10);
    expect(shapeOf(events).at(-1)).toBe('error:limit_exceeded');
    expectOneTerminalEventLast(events);
  });

  it('writes every log line of a run with the run’s workflowId', async () => {
    const run = newRun();

    await workflowWith(new ScriptedLlm(['a', 'b'])).run(run);

    expect(lines.map((line) => line.msg)).toEqual(['run queued', 'run completed']);
    for (const line of lines) expect(line.workflowId).toBe(run.id);
  });

  it('writes the workflowId on the log lines of a failed run too', async () => {
    const run = newRun({ kind: 'github', repository: 'acme/widgets', issueNumber: 405 });

    await workflowWith(new ScriptedLlm([])).run(run);

    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line.workflowId).toBe(run.id);
  });

  describe('on a repository', () => {
    const GITHUB_ISSUE: IssueSource = { kind: 'github', repository: 'acme/gadgets', issueNumber: 3 };

    beforeAll(() => {
      github.addIssue('acme/gadgets', {
        number: 3,
        title: 'Totals are off by one',
        body: 'The total skips the last item.',
      });
      github.addRepository('acme/gadgets', {
        files: {
          'src/total.ts':
            'export function total(items: number[]) {\n  return items.slice(0, -1).reduce((a, b) => a + b, 0);\n}\n',
          'src/index.ts': "export { total } from './total';\n",
        },
      });
    });

    it('reads through the tools: reading_repository, each tool_call then its tool_result, then the drafting', async () => {
      const llm = new ReadingLlm(
        [readFile('src/index.ts', 'call_1'), readFile('src/total.ts', 'call_2')],
        ['`total` in src/total.ts ', 'drops the last item.'],
      );
      const run = newRun(GITHUB_ISSUE);

      await workflowWith(llm).run(run);

      const events = eventsOf(run);
      expect(shapeOf(events)).toEqual([
        'status:queued',
        'status:fetching_issue',
        'status:reading_repository',
        'tool_call',
        'tool_result',
        'tool_call',
        'tool_result',
        'status:drafting',
        'llm_response',
        'llm_response',
        'complete',
      ]);
      const tools = events.filter((event) => event.type === 'tool_call' || event.type === 'tool_result');
      expect(tools.map((event) => [event.type, (event as WorkflowEvent<'tool_call'>).data.callId])).toEqual([
        ['tool_call', 'call_1'],
        ['tool_result', 'call_1'],
        ['tool_call', 'call_2'],
        ['tool_result', 'call_2'],
      ]);
      expect(tools[2].data).toEqual({
        content: 'Reading src/total.ts',
        tool: 'read_file',
        callId: 'call_2',
        arguments: { path: 'src/total.ts' },
      });
      expect(tools[3].data).toEqual({
        content: 'Read src/total.ts (3 lines)',
        tool: 'read_file',
        callId: 'call_2',
        ok: true,
      });
      expect(llm.answers[1]).toContain('items.slice(0, -1)');
      expect(JSON.stringify(events)).not.toContain('items.slice(0, -1)');
      expect((events.at(-1) as WorkflowEvent<'complete'>).data.content).toBe(
        '`total` in src/total.ts drops the last item.',
      );
    });

    it('gives tools to no model that cannot use them, and to no run without a repository', async () => {
      const scripted = new ScriptedLlm(['ok']);
      const reading = new ReadingLlm([], ['ok']);

      await workflowWith(scripted).run(newRun(GITHUB_ISSUE));
      await workflowWith(reading).run(newRun());

      expect(scripted.requests[0].tools).toBeUndefined();
      expect(reading.requests[0].tools).toBeUndefined();
    });

    it('hands a pasted issue with a repository the tools of that repository', async () => {
      const llm = new ReadingLlm([readFile('src/total.ts', 'c')], ['ok']);

      await workflowWith(llm).run(
        newRun({ kind: 'pasted', issue: { ...PASTED, repository: 'acme/gadgets' } }),
      );

      expect(llm.answers[0]).toContain('export function total');
    });

    it('ends the comment with a note saying what was cut short when a bound stopped the reading', async () => {
      const llm = new ReadingLlm(
        [readFile('src/index.ts', 'a'), readFile('src/total.ts', 'b')],
        ['The cause is unclear.'],
      );
      const run = newRun(GITHUB_ISSUE);

      await workflowWith(llm, 50_000, { TOOLS_MAX_CALLS: '1' }).run(run);

      const events = eventsOf(run);
      const complete = events.at(-1) as WorkflowEvent<'complete'>;
      expect(llm.answers[1]).toMatch(/^Not run: you have reached the limit of 1 tool calls/);
      expect(events.filter((event) => event.type === 'tool_result').map((event) => event.data)).toEqual([
        expect.objectContaining({ callId: 'a', ok: true }),
        expect.objectContaining({ callId: 'b', ok: false }),
      ]);
      expect(complete.data.content).toBe(textOf(events));
      expect(complete.data.content).toMatch(
        /^The cause is unclear\.\n\n---\n\n\*\*Note:\*\* Issuecast stopped reading acme\/gadgets before the model was done: it reached the limit of 1 tool calls\./,
      );
    });

    describe('posting', () => {
      const POSTED: IssueSource = { ...GITHUB_ISSUE, postToGitHub: true };

      it('posts the comment when asked: posting, then complete with the comment’s URL', async () => {
        const run = newRun(POSTED);

        await workflowWith(new ScriptedLlm(['Thanks, ', 'looking into it.'])).run(run);

        const events = eventsOf(run);
        expect(shapeOf(events).slice(-4)).toEqual([
          'llm_response',
          'llm_response',
          'status:posting',
          'complete',
        ]);
        const posted = github.commentsOf('acme/gadgets', 3).at(-1);
        expect(posted?.body).toBe(`Thanks, looking into it.\n\n<!-- issuecast:run=${run.id} -->`);
        expect(events.at(-1)?.data).toEqual({
          content: 'Thanks, looking into it.',
          commentUrl: posted?.html_url,
        });
        expect(run.commentUrl).toBe(posted?.html_url);
      });

      it('ends with a github_failed error saying the draft was not posted when GitHub refuses it', async () => {
        github.failNext('/repos/acme/gadgets/issues/3/comments', {
          status: 403,
          message: 'Resource not accessible by integration',
          method: 'POST',
        });
        const run = newRun(POSTED);

        await workflowWith(new ScriptedLlm(['A draft.'])).run(run);

        const events = eventsOf(run);
        expect(shapeOf(events).slice(-2)).toEqual(['status:posting', 'error:github_failed']);
        expect(events.at(-1)?.data).toEqual({
          code: 'github_failed',
          retryable: false,
          content: expect.stringMatching(
            /^The comment was drafted but not posted\. .*"Issues: write" permission/,
          ),
        });
        expect(run.draft).toBe('A draft.');
        expect(textOf(events)).toBe('A draft.');
      });

      it('posts no empty comment', async () => {
        const before = github.commentsOf('acme/gadgets', 3).length;
        const run = newRun(POSTED);

        await workflowWith(new ScriptedLlm(['  '])).run(run);

        expect(shapeOf(eventsOf(run)).at(-1)).toBe('error:llm_failed');
        expect(github.commentsOf('acme/gadgets', 3)).toHaveLength(before);
      });
    });
  });
});

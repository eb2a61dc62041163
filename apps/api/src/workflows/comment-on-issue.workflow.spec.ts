import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { isTerminalEvent, type WorkflowEvent } from '@issuecast/workflow-events';
import type { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { type FakeGitHub, startFakeGitHub } from '../../test/fake-github-server';
import { loadConfig } from '../config/load-config';
import { GitHubService } from '../github/github.service';
import { type DraftRequest, type IssueToDraft, LlmProvider } from '../llm/llm-provider';
import { draftOfflineComment } from '../llm/offline-draft';
import { OfflineLlmProvider } from '../llm/offline-llm-provider';
import { InMemoryWorkflowEventLog } from '../workflow-events/in-memory-workflow-event-log';
import { workflowEventChannel } from '../workflow-events/workflow-event-channel';
import { WorkflowEventEmitter } from '../workflow-events/workflow-event-emitter.service';
import { CommentOnIssueWorkflow } from './comment-on-issue.workflow';
import { RunFailure } from './run-failure';
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

interface LogLine {
  level: number;
  msg: string;
  workflowId?: string;
  err?: { message: string };
  [field: string]: unknown;
}

describe(CommentOnIssueWorkflow.name, () => {
  let github: FakeGitHub;
  let githubService: GitHubService;
  let bus: EventEmitter2;
  let log: InMemoryWorkflowEventLog;
  let lines: LogLine[];
  let logger: PinoLogger;

  beforeAll(async () => {
    github = await startFakeGitHub();
    githubService = new GitHubService(loadConfig({ GITHUB_API_URL: github.apiUrl }));
  });

  afterAll(async () => {
    await github.close();
  });

  beforeEach(() => {
    // GitHubService reports failed fetches through Nest's logger; these tests expect some.
    for (const level of ['warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
    bus = new EventEmitter2();
    log = new InMemoryWorkflowEventLog(bus);
    lines = [];
    const destination = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
    logger = { logger: pino({ level: 'trace' }, destination) } as unknown as PinoLogger;
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  function workflowWith(llm: LlmProvider, maxEvents = 50_000): CommentOnIssueWorkflow {
    const config = loadConfig({ WORKFLOW_MAX_EVENTS: String(maxEvents) });
    return new CommentOnIssueWorkflow(new WorkflowEventEmitter(log, bus, config), githubService, llm, logger);
  }

  function offlineLlm(): OfflineLlmProvider {
    return new OfflineLlmProvider(loadConfig({ OFFLINE_LLM_DELAY_MS: '0' }));
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
    bus.on(workflowEventChannel(run.id), () => {
      if (log.last(run.id)?.event.type === 'llm_response') run.controller.abort(reason());
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
});

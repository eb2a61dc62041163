import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import type { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../src/config/load-config';
import { GitHubClient } from '../src/github/github-client';
import { GitHubContents } from '../src/github/github-contents';
import { GitHubIssues } from '../src/github/github-issues';
import { type DraftRequest, type IssueToDraft, LlmProvider } from '../src/llm/llm-provider';
import { OfflineLlmProvider } from '../src/llm/offline-llm-provider';
import type { ToolCallRequest } from '../src/llm/tool-session';
import type { StoredWorkflowEventLog } from '../src/event-log/stored-workflow-event-log';
import type { SqliteRunStore } from '../src/store/sqlite/sqlite-run-store';
import { insertScratchRun, openScratchLog } from './store/scratch-store';
import { WorkflowEventEmitter } from '../src/event-log/workflow-event-emitter.service';
import { CommentOnIssueWorkflow } from '../src/workflows/comment-on-issue.workflow';
import { CommentPoster } from '../src/workflows/comment-poster.service';
import type { IssueSource } from '../src/store/run-record';
import { WorkflowRun } from '../src/workflows/workflow-run';
import { type FakeGitHub, startFakeGitHub } from './fake-github/fake-github-server';

export const PASTED: IssueToDraft = {
  title: 'Export to CSV drops the last row',
  body: 'When I export a table with 10 rows, the file has 9.',
};

/** A model that streams `deltas`, then fails with `failure` if one is given; it records what it was asked. */
export class ScriptedLlm extends LlmProvider {
  readonly model = 'scripted';
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
export class ReadingLlm extends LlmProvider {
  readonly model = 'reading';
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

export const readFile = (path: string, id: string): ToolCallRequest => ({
  id,
  name: 'read_file',
  arguments: JSON.stringify({ path }),
});

export interface LogLine {
  level: number;
  msg: string;
  workflowId?: string;
  err?: { message: string };
  [field: string]: unknown;
}

/**
 * `CommentOnIssueWorkflow` built from its real parts against a fake GitHub (started once for the
 * enclosing `describe`), with a fresh event log and log lines for each test.
 */
export class WorkflowHarness {
  github!: FakeGitHub;
  store!: SqliteRunStore;
  log!: StoredWorkflowEventLog;
  /** The run's log lines, as JSON. */
  lines: LogLine[] = [];
  private logger!: PinoLogger;

  /** Registers the hooks of the enclosing `describe` that start, reset and stop what the tests use. */
  static register(): WorkflowHarness {
    const harness = new WorkflowHarness();
    beforeAll(async () => {
      harness.github = await startFakeGitHub();
    });
    afterAll(async () => {
      await harness.github.close();
    });
    beforeEach(async () => {
      // The GitHub client reports failed fetches through Nest's logger; these tests expect some.
      for (const level of ['warn', 'error', 'debug'] as const) {
        jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
      }
      ({ store: harness.store, log: harness.log } = await openScratchLog());
      harness.lines = [];
      const destination = { write: (line: string) => void harness.lines.push(JSON.parse(line) as LogLine) };
      harness.logger = { logger: pino({ level: 'trace' }, destination) } as unknown as PinoLogger;
    });
    afterEach(async () => {
      jest.restoreAllMocks();
      await harness.store.close();
    });
    return harness;
  }

  readonly workflowWith = (
    llm: LlmProvider,
    maxEvents = 50_000,
    env: Record<string, string> = {},
  ): CommentOnIssueWorkflow => {
    const config = loadConfig({
      WORKFLOW_MAX_EVENTS: String(maxEvents),
      GITHUB_API_URL: this.github.apiUrl,
      ...env,
    });
    // A client per workflow: the throttling plugin spaces the comments one client creates 3 s apart.
    const client = new GitHubClient(config.github, new EventEmitter2());
    const issues = new GitHubIssues(client);
    return new CommentOnIssueWorkflow(
      new WorkflowEventEmitter(this.log, config.limits),
      issues,
      new GitHubContents(client),
      llm,
      new CommentPoster(issues, this.store),
      config.limits,
      config.redaction,
      this.logger,
    );
  };

  /** A run stored and opened for writing, as the service starts one. */
  readonly newRun = async (source: IssueSource = { kind: 'pasted', issue: PASTED }): Promise<WorkflowRun> => {
    const run = new WorkflowRun(randomUUID(), 'alice', source);
    await insertScratchRun(this.store, run.id, { source });
    this.log.openForWriting(run.id);
    return run;
  };

  /** The run's events as stored, once everything it appended is (its log is closed for writing). */
  readonly eventsOf = async (run: WorkflowRun): Promise<WorkflowEvent[]> => {
    if (this.log.lastWritten(run.id)) await this.log.closeForWriting(run.id);
    return (await this.store.readEvents(run.id, 0, Number.MAX_SAFE_INTEGER)).map(
      (stored) => JSON.parse(stored.json) as WorkflowEvent,
    );
  };
}

export function offlineLlm(): OfflineLlmProvider {
  return new OfflineLlmProvider(loadConfig({ OFFLINE_LLM_DELAY_MS: '0' }).llm);
}

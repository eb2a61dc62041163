import { type WorkflowEvent } from '@issuecast/workflow-events';
import pino from 'pino';
import { offlineLlm, PASTED, ScriptedLlm, WorkflowHarness } from '../../test/comment-on-issue-harness';
import { expectOneTerminalEventLast, shapeOf, textOf } from '../../test/run-events';
import { draftOfflineComment } from '../llm/offline-draft';
import { RunFailure } from '../run-failure/run-failure';
import { CommentOnIssueWorkflow } from './comment-on-issue.workflow';
import { cancelledByUser, interruptedByShutdown } from './run-stop-reasons';

describe(CommentOnIssueWorkflow.name, () => {
  const harness = WorkflowHarness.register();
  const { workflowWith, newRun, eventsOf } = harness;

  it('streams a pasted issue as queued, drafting, the deltas and a complete event holding the whole comment', async () => {
    const run = await newRun();

    await workflowWith(offlineLlm()).run(run);

    const events = await eventsOf(run);
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
    const run = await newRun();

    await workflowWith(new ScriptedLlm(['a', 'b', 'c'])).run(run);

    expect((await eventsOf(run)).map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('appends the queued event before run() returns its promise', async () => {
    const run = await newRun();

    const running = workflowWith(new ScriptedLlm(['a'])).run(run);

    expect(harness.log.lastWritten(run.id)?.event).toMatchObject({
      id: 1,
      type: 'status',
      data: { step: 'queued' },
    });
    await running;
  });

  it('hands the model the pasted issue and the run’s signal', async () => {
    const llm = new ScriptedLlm(['ok']);
    const run = await newRun();

    await workflowWith(llm).run(run);

    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0].issue).toEqual(PASTED);
    expect(llm.requests[0].signal).toBe(run.signal);
  });

  it('fetches a GitHub issue, reports fetching_issue, drafts from it and sets the run’s title', async () => {
    harness.github.addIssue('acme/widgets', {
      number: 7,
      title: 'Crash on start',
      body: 'It crashes.',
      labels: ['bug'],
    });
    const llm = new ScriptedLlm(['Thanks', ' for the report.']);
    const run = await newRun({ kind: 'github', repository: 'acme/widgets', issueNumber: 7 });
    expect(run.title).toBeUndefined();

    await workflowWith(llm).run(run);

    const events = await eventsOf(run);
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
    const run = await newRun({ kind: 'github', repository: 'acme/widgets', issueNumber: 404 });

    await workflowWith(llm).run(run);

    const events = await eventsOf(run);
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
    const run = await newRun();

    await workflowWith(new ScriptedLlm(['Hello', ' wor'], failure)).run(run);

    const events = await eventsOf(run);
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
    const run = await newRun();

    await workflowWith(new ScriptedLlm(['Hi'], new Error(leak))).run(run);

    const events = await eventsOf(run);
    expectOneTerminalEventLast(events);
    const error = events.at(-1) as WorkflowEvent<'error'>;
    expect(error.data).toMatchObject({ code: 'internal', retryable: true });
    expect(error.data.content).toMatch(/something went wrong/i);
    expect(error.data.content).not.toContain('ECONNREFUSED');
    expect(error.data.content).not.toContain('hunter2');
  });

  it('logs the details of an unexpected error for the operator, at error level', async () => {
    const run = await newRun();

    await workflowWith(new ScriptedLlm([], new Error('socket hang up'))).run(run);

    const errorLine = harness.lines.find((line) => line.level === pino.levels.values.error);
    expect(errorLine?.err?.message).toBe('socket hang up');
    expect(errorLine?.workflowId).toBe(run.id);
  });

  it.each([
    ['cancelled by its user', 'cancelled', cancelledByUser],
    ['interrupted by a shutdown', 'interrupted', interruptedByShutdown],
  ])('stops drafting when %s mid-stream and ends with one %s error', async (_case, code, reason) => {
    const run = await newRun();
    harness.log.subscribe(run.id, ({ event }) => {
      if (event.type === 'llm_response') run.controller.abort(reason());
    });

    await workflowWith(offlineLlm()).run(run);

    const events = await eventsOf(run);
    expect(shapeOf(events)).toEqual(['status:queued', 'status:drafting', 'llm_response', `error:${code}`]);
    expect(events.at(-1)?.data).toEqual(expect.objectContaining({ code, content: reason().message }));
  });

  it('ends as cancelled, not as a GitHub failure, when cancelled while GitHub has not answered', async () => {
    const path = '/repos/acme/slow/issues/1';
    harness.github.failNext(path, { stall: true });
    const run = await newRun({ kind: 'github', repository: 'acme/slow', issueNumber: 1 });

    const running = workflowWith(new ScriptedLlm(['never'])).run(run);
    await harness.github.whenRequested(path);
    run.controller.abort(cancelledByUser());
    await running;

    expect(shapeOf(await eventsOf(run))).toEqual([
      'status:queued',
      'status:fetching_issue',
      'error:cancelled',
    ]);
  });

  it('ends a run that reaches the event cap with a limit_exceeded error as its last event', async () => {
    const run = await newRun();

    await workflowWith(new ScriptedLlm(Array.from({ length: 30 }, () => 'x')), 10).run(run);

    const events = await eventsOf(run);
    expect(events).toHaveLength(10);
    expect(shapeOf(events).at(-1)).toBe('error:limit_exceeded');
    expectOneTerminalEventLast(events);
  });

  it('writes every log line of a run with the run’s workflowId', async () => {
    const run = await newRun();

    await workflowWith(new ScriptedLlm(['a', 'b'])).run(run);

    expect(harness.lines.map((line) => line.msg)).toEqual(['run queued', 'run completed']);
    for (const line of harness.lines) expect(line.workflowId).toBe(run.id);
  });

  it('writes the workflowId on the log lines of a failed run too', async () => {
    const run = await newRun({ kind: 'github', repository: 'acme/widgets', issueNumber: 405 });

    await workflowWith(new ScriptedLlm([])).run(run);

    expect(harness.lines.length).toBeGreaterThanOrEqual(2);
    for (const line of harness.lines) expect(line.workflowId).toBe(run.id);
  });
});

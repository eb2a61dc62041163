import 'reflect-metadata';
import { parseWorkflowEvent } from '@issuecast/workflow-events';
import { loadConfig } from '../config/load-config';
import { RunFailure } from '../run-failure/run-failure';
import { insertScratchRun, openScratchLog } from '../../test/store/scratch-store';
import type { SqliteRunStore } from '../store/sqlite/sqlite-run-store';
import type { StoredWorkflowEventLog } from './stored-workflow-event-log';
import type { LoggedEvent } from './logged-event';
import { WorkflowEventEmitter } from './workflow-event-emitter.service';

const RUN = '8f0e4c52-5f2a-4b7e-9d1c-2a3b4c5d6e7f';
const OTHER_RUN = '1d2c3b4a-0000-4000-8000-000000000001';
const MAX_EVENTS = 20;

describe(WorkflowEventEmitter.name, () => {
  let store: SqliteRunStore;
  let log: StoredWorkflowEventLog;
  let emitter: WorkflowEventEmitter;

  beforeEach(async () => {
    ({ store, log } = await openScratchLog());
    emitter = new WorkflowEventEmitter(log, loadConfig({ WORKFLOW_MAX_EVENTS: String(MAX_EVENTS) }).limits);
    for (const run of [RUN, OTHER_RUN]) {
      await insertScratchRun(store, run);
      log.openForWriting(run);
    }
  });

  afterEach(async () => {
    jest.useRealTimers();
    await store.close();
  });

  function delta(workflowId: string, content = 'x') {
    return emitter.emit(workflowId, 'llm_response', { content });
  }

  it('returns the event it emitted, with the run, type and data it was given', () => {
    const event = emitter.emit(RUN, 'status', { step: 'drafting', content: 'Drafting the comment' });

    expect(event).toMatchObject({
      id: 1,
      workflowId: RUN,
      type: 'status',
      data: { step: 'drafting', content: 'Drafting the comment' },
    });
    expect(log.lastWritten(RUN)?.event).toEqual(event);
  });

  it('stamps each event with the current time as an ISO 8601 string', () => {
    jest.useFakeTimers({ now: new Date('2024-05-01T12:00:00.000Z') });
    const first = delta(RUN);
    jest.setSystemTime(new Date('2024-05-01T12:00:01.250Z'));
    const second = delta(RUN);

    expect(first.timestamp).toBe('2024-05-01T12:00:00.000Z');
    expect(second.timestamp).toBe('2024-05-01T12:00:01.250Z');
  });

  it("has the log announce the event to the run's listeners only", async () => {
    const mine: LoggedEvent[] = [];
    const others: LoggedEvent[] = [];
    log.subscribe(RUN, (entry) => mine.push(entry));
    log.subscribe(OTHER_RUN, (entry) => others.push(entry));

    delta(RUN);
    await log.closeForWriting(RUN);

    expect(mine).toEqual([await log.last(RUN)]);
    expect(others).toEqual([]);
  });

  it('logs the SSE message of the event: its SSE name (run_error for an error), its id and its JSON', () => {
    const event = emitter.emit(RUN, 'error', {
      content: 'The model stopped answering.',
      code: 'timeout',
      retryable: true,
    });

    const [type, id, data] = messageLinesOf(log.lastWritten(RUN));
    expect(type).toBe('event: run_error');
    expect(id).toBe(`id: ${event.id}`);
    expect(JSON.parse(data.slice('data: '.length))).toEqual(event);
  });

  it('writes JSON that the contract library accepts as the same event', () => {
    const event = emitter.emit(RUN, 'status', { step: 'queued', content: 'Queued' });

    const data = messageLinesOf(log.lastWritten(RUN))[2];
    expect(parseWorkflowEvent(data.slice('data: '.length))).toEqual({ ok: true, event });
  });

  it.each([
    ['a complete', () => emitter.emit(RUN, 'complete', { content: 'Done' })],
    ['an error', () => emitter.emit(RUN, 'error', { content: 'No', code: 'cancelled', retryable: false })],
  ])('emits nothing more after %s event, of any type', async (_terminal, end) => {
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, (entry) => heard.push(entry));
    delta(RUN);
    end();

    expect(() => delta(RUN)).toThrow(`Workflow ${RUN} has ended`);
    expect(() => emitter.emit(RUN, 'complete', { content: 'again' })).toThrow('has ended');
    expect(() => emitter.emit(RUN, 'error', { content: 'again', code: 'internal', retryable: true })).toThrow(
      'has ended',
    );
    await log.closeForWriting(RUN);
    expect(await log.readAfter(RUN, 0)).toHaveLength(2);
    expect(heard.map((entry) => entry.event.id)).toEqual([1, 2]);
  });

  it('refuses a non-terminal event at the cap with a limit_exceeded RunFailure, and still takes the terminal event', () => {
    for (let id = 1; id < MAX_EVENTS; id++) delta(RUN);
    expect(log.lastWritten(RUN)?.event.id).toBe(MAX_EVENTS - 1);

    let failure: unknown;
    try {
      delta(RUN);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(RunFailure);
    expect(failure).toMatchObject({ code: 'limit_exceeded', retryable: false });
    expect(log.lastWritten(RUN)?.event.id).toBe(MAX_EVENTS - 1);

    const { code, message, retryable } = failure as RunFailure;
    const terminal = emitter.emit(RUN, 'error', { content: message, code, retryable });
    expect(terminal.id).toBe(MAX_EVENTS);
    expect(log.lastWritten(RUN)?.event).toEqual(terminal);
  });

  it('does not count other runs’ events toward a run’s cap', () => {
    for (let id = 1; id < MAX_EVENTS; id++) delta(OTHER_RUN);

    expect(() => delta(RUN)).not.toThrow();
  });
});

/** The lines of a logged event's SSE message, without the blank line that ends it. */
function messageLinesOf(entry: LoggedEvent | undefined): string[] {
  return (entry?.frame.toString('utf8') ?? '').replace(/\n\n$/, '').split('\n');
}

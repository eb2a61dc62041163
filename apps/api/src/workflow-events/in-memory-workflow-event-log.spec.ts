import { EventEmitter2 } from '@nestjs/event-emitter';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import { InMemoryWorkflowEventLog } from './in-memory-workflow-event-log';
import { type LoggedEvent, toLoggedEvent } from './logged-event';
import { workflowEventChannel } from './workflow-event-channel';

const RUN = '8f0e4c52-5f2a-4b7e-9d1c-2a3b4c5d6e7f';
const OTHER_RUN = '1d2c3b4a-0000-4000-8000-000000000001';

function entryOf(workflowId: string, id: number): LoggedEvent {
  const event: WorkflowEvent<'llm_response'> = {
    id,
    workflowId,
    type: 'llm_response',
    data: { content: `delta ${id}` },
    timestamp: '2024-05-01T12:00:00.000Z',
  };
  return toLoggedEvent(event);
}

function idsOf(entries: readonly LoggedEvent[]): number[] {
  return entries.map((entry) => entry.event.id);
}

describe(InMemoryWorkflowEventLog.name, () => {
  let bus: EventEmitter2;
  let log: InMemoryWorkflowEventLog;

  beforeEach(() => {
    bus = new EventEmitter2();
    log = new InMemoryWorkflowEventLog(bus);
  });

  /** Creates `workflowId`'s log and appends events 1…count to it. */
  function fill(workflowId: string, count: number): LoggedEvent[] {
    log.create(workflowId, 'alice');
    const entries = Array.from({ length: count }, (_, index) => entryOf(workflowId, index + 1));
    for (const entry of entries) log.append(entry);
    return entries;
  }

  it('knows a run once it is created, with no last event yet', () => {
    expect(log.has(RUN)).toBe(false);

    log.create(RUN, 'alice');

    expect(log.has(RUN)).toBe(true);
    expect(log.has(OTHER_RUN)).toBe(false);
    expect(log.last(RUN)).toBeUndefined();
    expect(log.readAfter(RUN, 0)).toEqual([]);
  });

  it('refuses to create the same run twice, keeping its events', () => {
    fill(RUN, 2);

    expect(() => log.create(RUN, 'alice')).toThrow(RUN);
    expect(idsOf(log.readAfter(RUN, 0))).toEqual([1, 2]);
  });

  it('answers the last appended event of a run', () => {
    const entries = fill(RUN, 3);

    expect(log.last(RUN)).toBe(entries[2]);
  });

  it('has no last event for an unknown run', () => {
    expect(log.last(RUN)).toBeUndefined();
  });

  it.each([
    ['a repeated id', 2],
    ['a skipped id', 4],
    ['an id of zero', 0],
  ])('refuses to append %s, leaving the log as it was', (_case, id) => {
    fill(RUN, 2);

    expect(() => log.append(entryOf(RUN, id))).toThrow('out of order; expected 3');
    expect(idsOf(log.readAfter(RUN, 0))).toEqual([1, 2]);
  });

  it('refuses to append to an unknown run', () => {
    expect(() => log.append(entryOf(RUN, 1))).toThrow(`Workflow ${RUN} has no log`);
    expect(log.has(RUN)).toBe(false);
  });

  it('reads every event after 0', () => {
    const entries = fill(RUN, 5);

    expect(log.readAfter(RUN, 0)).toEqual(entries);
  });

  it.each([1, 2, 4])('reads exactly the events after id %i, in order', (afterId) => {
    fill(RUN, 5);

    const expected = Array.from({ length: 5 - afterId }, (_, index) => afterId + 1 + index);
    expect(idsOf(log.readAfter(RUN, afterId))).toEqual(expected);
  });

  it('reads nothing after the last id, or past it', () => {
    fill(RUN, 5);

    expect(log.readAfter(RUN, 5)).toEqual([]);
    expect(log.readAfter(RUN, 99)).toEqual([]);
  });

  it("reads only the run's own events", () => {
    fill(RUN, 2);
    fill(OTHER_RUN, 3);

    expect(log.readAfter(RUN, 0).map((entry) => entry.event.workflowId)).toEqual([RUN, RUN]);
  });

  it('refuses to read an unknown run', () => {
    expect(() => log.readAfter(RUN, 0)).toThrow(`Workflow ${RUN} has no log`);
  });

  it("hears the entries published on the run's channel, and not another run's", () => {
    log.create(RUN, 'alice');
    log.create(OTHER_RUN, 'alice');
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, (entry) => heard.push(entry));

    const mine = entryOf(RUN, 1);
    bus.emit(workflowEventChannel(RUN), mine);
    bus.emit(workflowEventChannel(OTHER_RUN), entryOf(OTHER_RUN, 1));

    expect(heard).toEqual([mine]);
  });

  it('stops hearing the run once the returned function is called, removing its bus listener', () => {
    log.create(RUN, 'alice');
    const heard: LoggedEvent[] = [];
    const stop = log.subscribe(RUN, (entry) => heard.push(entry));
    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(1);

    stop();
    bus.emit(workflowEventChannel(RUN), entryOf(RUN, 1));

    expect(heard).toEqual([]);
    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(0);
  });

  it('stops only the listener it was returned for', () => {
    log.create(RUN, 'alice');
    const first: LoggedEvent[] = [];
    const second: LoggedEvent[] = [];
    const stopFirst = log.subscribe(RUN, (entry) => first.push(entry));
    log.subscribe(RUN, (entry) => second.push(entry));

    stopFirst();
    bus.emit(workflowEventChannel(RUN), entryOf(RUN, 1));

    expect(first).toEqual([]);
    expect(idsOf(second)).toEqual([1]);
    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(1);
  });

  it('forgets a deleted run: its events and every one of its listeners', () => {
    fill(RUN, 3);
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, (entry) => heard.push(entry));
    log.subscribe(RUN, (entry) => heard.push(entry));

    log.delete(RUN);
    bus.emit(workflowEventChannel(RUN), entryOf(RUN, 4));

    expect(log.has(RUN)).toBe(false);
    expect(log.last(RUN)).toBeUndefined();
    expect(() => log.readAfter(RUN, 0)).toThrow(`Workflow ${RUN} has no log`);
    expect(heard).toEqual([]);
    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(0);
  });

  it("leaves other runs' events and listeners alone when deleting a run", () => {
    fill(RUN, 1);
    fill(OTHER_RUN, 2);
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, () => undefined);
    log.subscribe(OTHER_RUN, (entry) => heard.push(entry));

    log.delete(RUN);
    bus.emit(workflowEventChannel(OTHER_RUN), entryOf(OTHER_RUN, 3));

    expect(idsOf(log.readAfter(OTHER_RUN, 0))).toEqual([1, 2]);
    expect(idsOf(heard)).toEqual([3]);
    expect(bus.listenerCount(workflowEventChannel(OTHER_RUN))).toBe(1);
  });

  it('lets a deleted run be created again, empty', () => {
    fill(RUN, 3);
    log.delete(RUN);

    log.create(RUN, 'alice');

    expect(log.readAfter(RUN, 0)).toEqual([]);
    expect(() => log.append(entryOf(RUN, 1))).not.toThrow();
  });
});

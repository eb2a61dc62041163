import { EventEmitter2 } from '@nestjs/event-emitter';
import { InMemoryWorkflowEventLog } from './in-memory-workflow-event-log';
import { type LoggedEvent, toLoggedEvent } from './logged-event';
import { workflowEventChannel } from './workflow-event-channel';
import type { UnloggedEvent } from './workflow-event-log';

const RUN = '8f0e4c52-5f2a-4b7e-9d1c-2a3b4c5d6e7f';
const OTHER_RUN = '1d2c3b4a-0000-4000-8000-000000000001';

function deltaOf(workflowId: string, content = 'delta'): UnloggedEvent {
  return { workflowId, type: 'llm_response', data: { content }, timestamp: '2024-05-01T12:00:00.000Z' };
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

  /** Creates `workflowId`'s log and appends `count` events to it. */
  function fill(workflowId: string, count: number): LoggedEvent[] {
    log.create(workflowId, 'alice');
    return Array.from({ length: count }, (_, index) => log.append(deltaOf(workflowId, `delta ${index + 1}`)));
  }

  const listeners = (workflowId = RUN) => bus.listenerCount(workflowEventChannel(workflowId));

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

  it('numbers each run’s events 1, 2, 3 … whatever other runs append in between', () => {
    log.create(RUN, 'alice');
    log.create(OTHER_RUN, 'alice');

    const ids = [RUN, OTHER_RUN, RUN, RUN, OTHER_RUN].map((run) => log.append(deltaOf(run)).event.id);

    expect(ids).toEqual([1, 1, 2, 3, 2]);
  });

  it('answers the entry as logged: the event with its id, framed as its SSE message', () => {
    log.create(RUN, 'alice');

    const entry = log.append(deltaOf(RUN, 'hello'));

    expect(entry).toEqual(toLoggedEvent({ id: 1, ...deltaOf(RUN, 'hello') }));
    expect(log.last(RUN)).toBe(entry);
  });

  it('has no last event for an unknown run', () => {
    expect(log.last(RUN)).toBeUndefined();
  });

  it('refuses to append to an unknown run, announcing nothing', () => {
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, (entry) => heard.push(entry));

    expect(() => log.append(deltaOf(RUN))).toThrow(`Workflow ${RUN} has no log`);
    expect(log.has(RUN)).toBe(false);
    expect(heard).toEqual([]);
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

  it("announces each event appended to the run, and not another run's", () => {
    log.create(RUN, 'alice');
    log.create(OTHER_RUN, 'alice');
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, (entry) => heard.push(entry));

    const mine = log.append(deltaOf(RUN));
    log.append(deltaOf(OTHER_RUN));

    expect(heard).toEqual([mine]);
  });

  it('announces an event only once it is the last one in the log', () => {
    log.create(RUN, 'alice');
    const lastWhenHeard: (LoggedEvent | undefined)[] = [];
    log.subscribe(RUN, (entry) => lastWhenHeard.push(entry === log.last(RUN) ? entry : undefined));

    const entries = [log.append(deltaOf(RUN)), log.append(deltaOf(RUN))];

    expect(lastWhenHeard).toEqual(entries);
  });

  it('stops announcing to a listener once the returned function is called, removing its bus listener', () => {
    log.create(RUN, 'alice');
    const heard: LoggedEvent[] = [];
    const stop = log.subscribe(RUN, (entry) => heard.push(entry));
    expect(listeners()).toBe(1);

    stop();
    log.append(deltaOf(RUN));

    expect(heard).toEqual([]);
    expect(listeners()).toBe(0);
  });

  it('stops only the listener it was returned for', () => {
    log.create(RUN, 'alice');
    const first: LoggedEvent[] = [];
    const second: LoggedEvent[] = [];
    const stopFirst = log.subscribe(RUN, (entry) => first.push(entry));
    log.subscribe(RUN, (entry) => second.push(entry));

    stopFirst();
    log.append(deltaOf(RUN));

    expect(first).toEqual([]);
    expect(idsOf(second)).toEqual([1]);
    expect(listeners()).toBe(1);
  });

  it('forgets a deleted run: its events and every one of its listeners', () => {
    fill(RUN, 3);
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, (entry) => heard.push(entry));
    log.subscribe(RUN, (entry) => heard.push(entry));

    log.delete(RUN);

    expect(log.has(RUN)).toBe(false);
    expect(log.last(RUN)).toBeUndefined();
    expect(() => log.readAfter(RUN, 0)).toThrow(`Workflow ${RUN} has no log`);
    expect(() => log.append(deltaOf(RUN))).toThrow(`Workflow ${RUN} has no log`);
    expect(heard).toEqual([]);
    expect(listeners()).toBe(0);
  });

  it("leaves other runs' events and listeners alone when deleting a run", () => {
    fill(RUN, 1);
    fill(OTHER_RUN, 2);
    const heard: LoggedEvent[] = [];
    log.subscribe(RUN, () => undefined);
    log.subscribe(OTHER_RUN, (entry) => heard.push(entry));

    log.delete(RUN);
    log.append(deltaOf(OTHER_RUN));

    expect(idsOf(log.readAfter(OTHER_RUN, 0))).toEqual([1, 2, 3]);
    expect(idsOf(heard)).toEqual([3]);
    expect(listeners(OTHER_RUN)).toBe(1);
  });

  it('lets a deleted run be created again, empty, numbering from 1', () => {
    fill(RUN, 3);
    log.delete(RUN);

    log.create(RUN, 'alice');

    expect(log.readAfter(RUN, 0)).toEqual([]);
    expect(log.append(deltaOf(RUN)).event.id).toBe(1);
  });
});

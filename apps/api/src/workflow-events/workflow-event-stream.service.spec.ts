import 'reflect-metadata';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Observable, take } from 'rxjs';
import { loadConfig } from '../config/load-config';
import { InMemoryWorkflowEventLog } from './in-memory-workflow-event-log';
import type { LoggedEvent } from './logged-event';
import { workflowEventChannel } from './workflow-event-channel';
import { WorkflowEventEmitter } from './workflow-event-emitter.service';
import { WorkflowEventStream } from './workflow-event-stream.service';

const RUN = '8f0e4c52-5f2a-4b7e-9d1c-2a3b4c5d6e7f';
const OTHER_RUN = '1d2c3b4a-0000-4000-8000-000000000001';

/** What a subscriber saw, in order: event ids, then `complete` if the stream completed. */
interface Recording {
  readonly seen: (number | 'complete' | 'error')[];
  readonly ids: () => number[];
  readonly completed: () => boolean;
  readonly unsubscribe: () => void;
}

function record(events: Observable<LoggedEvent>): Recording {
  const seen: Recording['seen'] = [];
  const subscription = events.subscribe({
    next: (entry) => seen.push(entry.event.id),
    complete: () => seen.push('complete'),
    error: () => seen.push('error'),
  });
  return {
    seen,
    ids: () => seen.filter((item): item is number => typeof item === 'number'),
    completed: () => seen.includes('complete'),
    unsubscribe: () => subscription.unsubscribe(),
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

describe(WorkflowEventStream.name, () => {
  let bus: EventEmitter2;
  let log: InMemoryWorkflowEventLog;
  let emitter: WorkflowEventEmitter;
  let stream: WorkflowEventStream;

  beforeEach(() => {
    bus = new EventEmitter2();
    log = new InMemoryWorkflowEventLog(bus);
    emitter = new WorkflowEventEmitter(log, bus, loadConfig({}).limits);
    stream = new WorkflowEventStream(log);
    log.create(RUN, 'alice');
    log.create(OTHER_RUN, 'alice');
  });

  function deltas(count: number, workflowId = RUN): void {
    for (let index = 0; index < count; index++) emitter.emit(workflowId, 'llm_response', { content: 'x' });
  }

  function complete(workflowId = RUN): void {
    emitter.emit(workflowId, 'complete', { content: 'done' });
  }

  it('replays the events so far, then follows the live ones, with no gap and no duplicate at the seam', () => {
    deltas(3);

    const subscriber = record(stream.follow(RUN, 0));
    expect(subscriber.ids()).toEqual([1, 2, 3]);
    deltas(2);

    expect(subscriber.ids()).toEqual([1, 2, 3, 4, 5]);
    expect(subscriber.completed()).toBe(false);
  });

  it("hears only the followed run's events", () => {
    const subscriber = record(stream.follow(RUN, 0));

    deltas(1);
    deltas(3, OTHER_RUN);
    complete(OTHER_RUN);
    deltas(1);

    expect(subscriber.ids()).toEqual([1, 2]);
    expect(subscriber.completed()).toBe(false);
  });

  it('completes right after the terminal event', () => {
    const subscriber = record(stream.follow(RUN, 0));
    deltas(2);

    complete();

    expect(subscriber.seen).toEqual([1, 2, 3, 'complete']);
  });

  it('completes after an error event too', () => {
    const subscriber = record(stream.follow(RUN, 0));

    emitter.emit(RUN, 'error', { content: 'Cancelled', code: 'cancelled', retryable: false });

    expect(subscriber.seen).toEqual([1, 'complete']);
  });

  it('skips exactly the events up to afterId, replayed and live', () => {
    deltas(5);

    const subscriber = record(stream.follow(RUN, 2));
    deltas(1);

    expect(subscriber.ids()).toEqual([3, 4, 5, 6]);
  });

  it('waits for the first live event after an afterId the run has not reached yet', () => {
    deltas(2);

    const subscriber = record(stream.follow(RUN, 4));
    deltas(3);

    expect(subscriber.ids()).toEqual([5]);
  });

  it('replays a finished run and completes before subscribe returns, leaving no listener behind', () => {
    deltas(3);
    complete();

    const subscriber = record(stream.follow(RUN, 0));

    expect(subscriber.seen).toEqual([1, 2, 3, 4, 'complete']);
    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(0);
  });

  it('replays only the terminal event to a client that had everything before it', () => {
    deltas(3);
    complete();

    expect(record(stream.follow(RUN, 3)).seen).toEqual([4, 'complete']);
  });

  it('removes its bus listener when unsubscribed, and delivers nothing more', () => {
    const subscriber = record(stream.follow(RUN, 0));
    deltas(1);
    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(1);

    subscriber.unsubscribe();
    deltas(1);

    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(0);
    expect(subscriber.ids()).toEqual([1]);
  });

  it('removes its bus listener when it completes on a live terminal event', () => {
    record(stream.follow(RUN, 0));

    complete();

    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(0);
  });

  it('removes its bus listener when the subscriber stops during the replay', () => {
    deltas(5);

    const subscriber = record(stream.follow(RUN, 0).pipe(take(2)));

    expect(subscriber.seen).toEqual([1, 2, 'complete']);
    expect(bus.listenerCount(workflowEventChannel(RUN))).toBe(0);
  });

  it('gives two subscribers, one early and one late, the same sequence', () => {
    const early = record(stream.follow(RUN, 0));
    deltas(3);
    const late = record(stream.follow(RUN, 0));
    deltas(2);
    complete();

    expect(early.seen).toEqual([...range(1, 6), 'complete']);
    expect(late.seen).toEqual(early.seen);
  });

  it('delivers every event once and in order to a subscriber whose handling of one causes the next', () => {
    deltas(3);
    const seen: number[] = [];

    stream.follow(RUN, 0).subscribe((entry) => {
      seen.push(entry.event.id);
      if (entry.event.id === 1) deltas(1);
    });
    deltas(1);

    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('delivers every event once and in order to a subscriber that follows one whose handling causes the next', () => {
    stream.follow(RUN, 0).subscribe((entry) => {
      if (entry.event.id === 1) deltas(1);
    });
    const second = record(stream.follow(RUN, 0));

    deltas(1);
    complete();

    expect(second.seen).toEqual([1, 2, 3, 'complete']);
  });

  it('errors without leaving a listener behind for a run that has no log', () => {
    const unknown = 'b3a1c2d4-0000-4000-8000-00000000dead';

    const subscriber = record(stream.follow(unknown, 0));

    expect(subscriber.seen).toEqual(['error']);
    expect(bus.listenerCount(workflowEventChannel(unknown))).toBe(0);
  });
});

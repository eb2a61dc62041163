import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, type UrlTree, provideRouter } from '@angular/router';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import type { RunSnapshot } from '@issuecast/workflows-api';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { workflowEvent, workflowId } from '../../../testing/workflow-events';
import { EVENT_SOURCE } from './event-source';
import { RunStream } from './run-stream';
import { RunStreamError } from './run-stream-error';

const eventsUrl = `/api/workflows/${workflowId}/events`;
const snapshotUrl = `/api/workflows/${workflowId}`;

const queued = workflowEvent(1, 'status', { content: 'Queued', step: 'queued' });
const drafting = workflowEvent(2, 'status', { content: 'Drafting the comment', step: 'drafting' });
const hello = workflowEvent(3, 'llm_response', { content: 'Hello' });
const world = workflowEvent(4, 'llm_response', { content: ', world' });
const complete = workflowEvent(5, 'complete', { content: 'Hello, world' });

function snapshot(overrides: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    workflowId,
    status: 'running',
    issue: { title: 'Crash when saving' },
    text: '',
    lastEventId: 2,
    createdAt: '2026-11-25T10:00:00.000Z',
    eventsUrl,
    ...overrides,
  };
}

describe(RunStream.name, () => {
  let stream: RunStream;
  let http: HttpTestingController;
  let router: Router;

  beforeEach(async () => {
    jest.useFakeTimers();
    FakeEventSource.reset();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'sign-in', children: [] },
          { path: 'runs/:workflowId', children: [] },
        ]),
        RunStream,
        { provide: EVENT_SOURCE, useValue: FakeEventSource },
      ],
    });
    stream = TestBed.inject(RunStream);
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    await router.navigateByUrl(`/runs/${workflowId}`);
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  function follow(afterId?: number) {
    const delivered: WorkflowEvent[] = [];
    const outcome: { completed: boolean; error?: unknown } = { completed: false };
    const subscription = stream.events(workflowId, { afterId }).subscribe({
      next: (event) => delivered.push(event),
      error: (error: unknown) => (outcome.error = error),
      complete: () => (outcome.completed = true),
    });
    return { delivered, outcome, subscription };
  }

  function send(source: FakeEventSource, ...events: WorkflowEvent[]): void {
    for (const event of events) source.message(event.type, event);
  }

  /** The browser gives up on the latest source; the service asks the snapshot route why. */
  function giveUp(
    answer: { body: RunSnapshot } | { status: number; headers?: Record<string, string> },
  ): void {
    FakeEventSource.latest().fail();
    const probe = http.expectOne(snapshotUrl);
    expect(probe.request.method).toBe('GET');
    if ('body' in answer) probe.flush(answer.body);
    else
      probe.flush(
        { statusCode: answer.status, message: 'refused' },
        { status: answer.status, statusText: 'Refused', headers: answer.headers },
      );
  }

  it('opens nothing until subscribed, then one EventSource with credentials', () => {
    const events = stream.events(workflowId);
    expect(FakeEventSource.instances).toHaveLength(0);

    events.subscribe();

    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.latest().url).toBe(eventsUrl);
    expect(FakeEventSource.latest().withCredentials).toBe(true);
  });

  it('resumes after the given id', () => {
    follow(7);

    expect(FakeEventSource.latest().url).toBe(`${eventsUrl}?lastEventId=7`);
  });

  it('closes the EventSource when unsubscribed', () => {
    const { subscription } = follow();
    const source = FakeEventSource.latest();

    subscription.unsubscribe();

    expect(source.closeCalls).toBe(1);
    expect(stream.state()).toBe('closed');
  });

  it('delivers parsed events in order, each id once', () => {
    const { delivered } = follow();
    const source = FakeEventSource.latest();
    source.open();

    send(source, queued, drafting, drafting, hello, queued, world);

    expect(delivered).toEqual([queued, drafting, hello, world]);
  });

  it('fails with an invalid event instead of delivering it', () => {
    const { delivered, outcome } = follow();
    const source = FakeEventSource.latest();
    source.open();

    send(source, queued);
    source.message('llm_response', '{"id": 2, "type": "llm_resp');

    expect(delivered).toEqual([queued]);
    expect(outcome.error).toBeInstanceOf(RunStreamError);
    expect((outcome.error as RunStreamError).kind).toBe('invalid_event');
    expect(source.closed).toBe(true);
  });

  it('refuses an event of another run', () => {
    const { delivered, outcome } = follow();
    const source = FakeEventSource.latest();

    source.message('status', { ...queued, workflowId: '0d8f1f7a-3a43-4a53-9c4b-6e2f0b1c2d3e' });

    expect(delivered).toEqual([]);
    expect((outcome.error as RunStreamError).kind).toBe('invalid_event');
  });

  it('completes and closes for good after the terminal event', () => {
    const { delivered, outcome } = follow();
    const source = FakeEventSource.latest();
    source.open();

    send(source, queued, hello, complete);
    jest.advanceTimersByTime(120_000);

    expect(delivered.map((event) => event.id)).toEqual([1, 3, 5]);
    expect(outcome.completed).toBe(true);
    expect(source.closed).toBe(true);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(stream.state()).toBe('closed');
  });

  it('takes a named error event as the terminal event, not as a broken connection', () => {
    const { delivered, outcome } = follow();
    const source = FakeEventSource.latest();
    source.open();
    const failed = workflowEvent(2, 'error', {
      content: 'The model did not answer.',
      code: 'llm_failed',
      retryable: true,
    });

    send(source, queued, failed);

    expect(delivered).toEqual([queued, failed]);
    expect(outcome).toEqual({ completed: true });
    expect(source.closed).toBe(true);
  });

  it('leaves reconnecting to the browser while it retries by itself', () => {
    const { delivered } = follow();
    const source = FakeEventSource.latest();
    source.open();
    send(source, queued);

    source.drop();
    expect(stream.state()).toBe('reconnecting');
    jest.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);

    source.open();
    send(source, queued, drafting);
    expect(stream.state()).toBe('open');
    expect(delivered).toEqual([queued, drafting]);
  });

  it('reopens after the browser gives up, resuming after the last delivered id once the backoff is over', () => {
    const { delivered } = follow();
    const first = FakeEventSource.latest();
    first.open();
    send(first, queued, drafting);

    giveUp({ body: snapshot() });
    expect(stream.state()).toBe('reconnecting');
    jest.advanceTimersByTime(799);
    expect(FakeEventSource.instances).toHaveLength(1);
    jest.advanceTimersByTime(401);

    expect(FakeEventSource.instances).toHaveLength(2);
    const second = FakeEventSource.latest();
    expect(second.url).toBe(`${eventsUrl}?lastEventId=2`);
    expect(second.withCredentials).toBe(true);
    second.open();
    send(second, drafting, hello);
    expect(delivered).toEqual([queued, drafting, hello]);
    expect(stream.state()).toBe('open');
  });

  it('waits longer after each failed attempt, and starts over once a connection opens', () => {
    follow();
    FakeEventSource.latest().open();

    giveUp({ body: snapshot() });
    jest.advanceTimersByTime(1_200);
    expect(FakeEventSource.instances).toHaveLength(2);

    giveUp({ body: snapshot() });
    jest.advanceTimersByTime(1_599);
    expect(FakeEventSource.instances).toHaveLength(2);
    jest.advanceTimersByTime(801);
    expect(FakeEventSource.instances).toHaveLength(3);

    giveUp({ body: snapshot() });
    jest.advanceTimersByTime(3_199);
    expect(FakeEventSource.instances).toHaveLength(3);
    jest.advanceTimersByTime(1_601);
    expect(FakeEventSource.instances).toHaveLength(4);

    FakeEventSource.latest().open();
    giveUp({ body: snapshot() });
    jest.advanceTimersByTime(1_200);
    expect(FakeEventSource.instances).toHaveLength(5);
  });

  it('sends a signed-out user to sign-in and stops', () => {
    const navigate = jest.spyOn(router, 'navigateByUrl');
    const { outcome } = follow();

    giveUp({ status: 401 });
    jest.advanceTimersByTime(120_000);

    expect((outcome.error as RunStreamError).kind).toBe('signed_out');
    expect(router.serializeUrl(navigate.mock.calls[0][0] as UrlTree)).toBe(
      `/sign-in?returnUrl=${encodeURIComponent(`/runs/${workflowId}`)}`,
    );
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(stream.state()).toBe('closed');
  });

  it('stops with not-found when the run is unknown', () => {
    const { outcome } = follow();

    giveUp({ status: 404 });
    jest.advanceTimersByTime(120_000);

    expect(outcome.error).toBeInstanceOf(RunStreamError);
    expect((outcome.error as RunStreamError).kind).toBe('not_found');
    expect((outcome.error as RunStreamError).message).toMatch(/not found/);
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('waits as long as Retry-After says when there are too many connections', () => {
    follow();

    giveUp({ status: 429, headers: { 'Retry-After': '10' } });
    jest.advanceTimersByTime(9_999);
    expect(FakeEventSource.instances).toHaveLength(1);
    jest.advanceTimersByTime(1);

    expect(FakeEventSource.instances).toHaveLength(2);
    expect(stream.state()).toBe('reconnecting');
  });

  it('backs off before retrying a 429 without Retry-After', () => {
    follow();

    giveUp({ status: 429 });
    jest.advanceTimersByTime(799);
    expect(FakeEventSource.instances).toHaveLength(1);
    jest.advanceTimersByTime(401);

    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('retries after a backoff when the server cannot be reached at all', () => {
    follow();

    FakeEventSource.latest().fail();
    http.expectOne(snapshotUrl).error(new ProgressEvent('error'));
    jest.advanceTimersByTime(1_200);

    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('completes when the run is over and nothing is left to receive', () => {
    const { outcome } = follow(5);

    giveUp({ body: snapshot({ status: 'completed', lastEventId: 5 }) });
    jest.advanceTimersByTime(120_000);

    expect(outcome).toEqual({ completed: true });
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('stops a pending reconnection when unsubscribed', () => {
    const { subscription } = follow();

    giveUp({ body: snapshot() });
    subscription.unsubscribe();
    jest.advanceTimersByTime(120_000);

    expect(FakeEventSource.instances).toHaveLength(1);
    expect(stream.state()).toBe('closed');
  });

  it('tells how the connection stands', () => {
    expect(stream.state()).toBe('closed');
    follow();
    expect(stream.state()).toBe('connecting');

    const source = FakeEventSource.latest();
    source.open();
    expect(stream.state()).toBe('open');

    source.drop();
    expect(stream.state()).toBe('reconnecting');

    source.open();
    expect(stream.state()).toBe('open');

    send(source, complete);
    expect(stream.state()).toBe('closed');
  });
});

import type { UrlTree } from '@angular/router';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { eventsUrl, runSnapshot, snapshotUrl } from '../../../testing/run-snapshot';
import { type RunStreamHarness, send, startRunStream } from '../../../testing/run-stream-harness';
import { workflowEvent, workflowId } from '../../../testing/workflow-events';
import { RunStreamError } from './run-stream-error';
import { RunStream } from './run-stream';

const queued = workflowEvent(1, 'status', { content: 'Queued', step: 'queued' });
const drafting = workflowEvent(2, 'status', { content: 'Drafting the comment', step: 'drafting' });
const hello = workflowEvent(3, 'llm_response', { content: 'Hello' });

/** A run that is still going: the stream reconnects after it. */
const running = runSnapshot({ status: 'running', lastEventId: 2 });

describe(`${RunStream.name} reconnecting`, () => {
  let harness: RunStreamHarness;

  beforeEach(async () => (harness = await startRunStream()));

  afterEach(() => harness.stop());

  it('leaves reconnecting to the browser while it retries by itself', () => {
    const { delivered } = harness.follow();
    const source = FakeEventSource.latest();
    source.open();
    send(source, queued);

    source.drop();
    expect(harness.stream.state()).toBe('reconnecting');
    jest.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);

    source.open();
    send(source, queued, drafting);
    expect(harness.stream.state()).toBe('open');
    expect(delivered).toEqual([queued, drafting]);
  });

  it('reopens after the browser gives up, resuming after the last delivered id once the backoff is over', () => {
    const { delivered } = harness.follow();
    const first = FakeEventSource.latest();
    first.open();
    send(first, queued, drafting);

    harness.giveUp({ body: running });
    expect(harness.stream.state()).toBe('reconnecting');
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
    expect(harness.stream.state()).toBe('open');
  });

  it('waits longer after each failed attempt, and starts over once a connection opens', () => {
    harness.follow();
    FakeEventSource.latest().open();

    harness.giveUp({ body: running });
    jest.advanceTimersByTime(1_200);
    expect(FakeEventSource.instances).toHaveLength(2);

    harness.giveUp({ body: running });
    jest.advanceTimersByTime(1_599);
    expect(FakeEventSource.instances).toHaveLength(2);
    jest.advanceTimersByTime(801);
    expect(FakeEventSource.instances).toHaveLength(3);

    harness.giveUp({ body: running });
    jest.advanceTimersByTime(3_199);
    expect(FakeEventSource.instances).toHaveLength(3);
    jest.advanceTimersByTime(1_601);
    expect(FakeEventSource.instances).toHaveLength(4);

    FakeEventSource.latest().open();
    harness.giveUp({ body: running });
    jest.advanceTimersByTime(1_200);
    expect(FakeEventSource.instances).toHaveLength(5);
  });

  it('sends a signed-out user to sign-in and stops', () => {
    const navigate = jest.spyOn(harness.router, 'navigateByUrl');
    const { outcome } = harness.follow();

    harness.giveUp({ status: 401 });
    jest.advanceTimersByTime(120_000);

    expect((outcome.error as RunStreamError).kind).toBe('signed_out');
    expect(harness.router.serializeUrl(navigate.mock.calls[0][0] as UrlTree)).toBe(
      `/sign-in?returnUrl=${encodeURIComponent(`/runs/${workflowId}`)}`,
    );
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(harness.stream.state()).toBe('closed');
  });

  it('stops with not-found when the run is unknown', () => {
    const { outcome } = harness.follow();

    harness.giveUp({ status: 404 });
    jest.advanceTimersByTime(120_000);

    expect(outcome.error).toBeInstanceOf(RunStreamError);
    expect((outcome.error as RunStreamError).kind).toBe('not_found');
    expect((outcome.error as RunStreamError).message).toMatch(/not found/);
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('waits as long as Retry-After says when there are too many connections', () => {
    harness.follow();

    harness.giveUp({ status: 429, headers: { 'Retry-After': '10' } });
    jest.advanceTimersByTime(9_999);
    expect(FakeEventSource.instances).toHaveLength(1);
    jest.advanceTimersByTime(1);

    expect(FakeEventSource.instances).toHaveLength(2);
    expect(harness.stream.state()).toBe('reconnecting');
  });

  it('backs off before retrying a 429 without Retry-After', () => {
    harness.follow();

    harness.giveUp({ status: 429 });
    jest.advanceTimersByTime(799);
    expect(FakeEventSource.instances).toHaveLength(1);
    jest.advanceTimersByTime(401);

    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('retries after a backoff when the server cannot be reached at all', () => {
    harness.follow();

    FakeEventSource.latest().fail();
    harness.http.expectOne(snapshotUrl).error(new ProgressEvent('error'));
    jest.advanceTimersByTime(1_200);

    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('completes when the run is over and nothing is left to receive', () => {
    const { outcome } = harness.follow(5);

    harness.giveUp({ body: runSnapshot({ status: 'completed', lastEventId: 5 }) });
    jest.advanceTimersByTime(120_000);

    expect(outcome).toEqual({ completed: true });
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('stops a pending reconnection when unsubscribed', () => {
    const { subscription } = harness.follow();

    harness.giveUp({ body: running });
    subscription.unsubscribe();
    jest.advanceTimersByTime(120_000);

    expect(FakeEventSource.instances).toHaveLength(1);
    expect(harness.stream.state()).toBe('closed');
  });
});

import { FakeEventSource } from '../../../testing/fake-event-source';
import { eventsUrl } from '../../../testing/run-snapshot';
import { type RunStreamHarness, send, startRunStream } from '../../../testing/run-stream-harness';
import { workflowEvent, workflowId } from '../../../testing/workflow-events';
import { RunStreamError } from './run-stream-error';
import { RunStream } from './run-stream';

const queued = workflowEvent(1, 'status', { content: 'Queued', step: 'queued' });
const drafting = workflowEvent(2, 'status', { content: 'Drafting the comment', step: 'drafting' });
const hello = workflowEvent(3, 'llm_response', { content: 'Hello' });
const world = workflowEvent(4, 'llm_response', { content: ', world' });
const complete = workflowEvent(5, 'complete', { content: 'Hello, world' });

describe(RunStream.name, () => {
  let harness: RunStreamHarness;

  beforeEach(async () => (harness = await startRunStream()));

  afterEach(() => harness.stop());

  it('opens nothing until subscribed, then one EventSource with credentials', () => {
    const events = harness.stream.events(workflowId);
    expect(FakeEventSource.instances).toHaveLength(0);

    events.subscribe();

    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.latest().url).toBe(eventsUrl);
    expect(FakeEventSource.latest().withCredentials).toBe(true);
  });

  it('resumes after the given id', () => {
    harness.follow(7);

    expect(FakeEventSource.latest().url).toBe(`${eventsUrl}?lastEventId=7`);
  });

  it('closes the EventSource when unsubscribed', () => {
    const { subscription } = harness.follow();
    const source = FakeEventSource.latest();

    subscription.unsubscribe();

    expect(source.closeCalls).toBe(1);
    expect(harness.stream.state()).toBe('closed');
  });

  it('delivers parsed events in order, each id once', () => {
    const { delivered } = harness.follow();
    const source = FakeEventSource.latest();
    source.open();

    send(source, queued, drafting, drafting, hello, queued, world);

    expect(delivered).toEqual([queued, drafting, hello, world]);
  });

  it('fails with an invalid event instead of delivering it', () => {
    const { delivered, outcome } = harness.follow();
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
    const { delivered, outcome } = harness.follow();
    const source = FakeEventSource.latest();

    source.message('status', { ...queued, workflowId: '0d8f1f7a-3a43-4a53-9c4b-6e2f0b1c2d3e' });

    expect(delivered).toEqual([]);
    expect((outcome.error as RunStreamError).kind).toBe('invalid_event');
  });

  it('completes and closes for good after the terminal event', () => {
    const { delivered, outcome } = harness.follow();
    const source = FakeEventSource.latest();
    source.open();

    send(source, queued, hello, complete);
    jest.advanceTimersByTime(120_000);

    expect(delivered.map((event) => event.id)).toEqual([1, 3, 5]);
    expect(outcome.completed).toBe(true);
    expect(source.closed).toBe(true);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(harness.stream.state()).toBe('closed');
  });

  it('takes a run_error message as the terminal event, not as a broken connection', () => {
    const { delivered, outcome } = harness.follow();
    const source = FakeEventSource.latest();
    source.open();
    const failed = workflowEvent(2, 'error', {
      content: 'The model did not answer.',
      code: 'llm_failed',
      retryable: true,
    });

    send(source, queued);
    source.message('run_error', failed);

    expect(delivered).toEqual([queued, failed]);
    expect(outcome).toEqual({ completed: true });
    expect(source.closed).toBe(true);
  });

  it('tells how the connection stands', () => {
    expect(harness.stream.state()).toBe('closed');
    harness.follow();
    expect(harness.stream.state()).toBe('connecting');

    const source = FakeEventSource.latest();
    source.open();
    expect(harness.stream.state()).toBe('open');

    source.drop();
    expect(harness.stream.state()).toBe('reconnecting');

    source.open();
    expect(harness.stream.state()).toBe('open');

    send(source, complete);
    expect(harness.stream.state()).toBe('closed');
  });
});

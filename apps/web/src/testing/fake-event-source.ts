/**
 * A stand-in for the browser's `EventSource` in unit tests: it records every instance and lets a
 * test play the server (open, named messages, errors) and the browser (readyState).
 */
export class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;

  /** Every source opened since the last {@link FakeEventSource.reset}, oldest first. */
  static instances: FakeEventSource[] = [];

  static reset(): void {
    FakeEventSource.instances = [];
  }

  /** The source opened last. */
  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('No EventSource was opened');
    return source;
  }

  readonly url: string;
  readonly withCredentials: boolean;
  readyState = FakeEventSource.CONNECTING;
  closeCalls = 0;
  private readonly listeners = new Map<string, Set<(event: Event) => void>>();

  constructor(url: string, init?: EventSourceInit) {
    this.url = url;
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: Event) => void): void {
    const listeners = this.listeners.get(type) ?? new Set();
    listeners.add(listener);
    this.listeners.set(type, listeners);
  }

  removeEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.closeCalls += 1;
    this.readyState = FakeEventSource.CLOSED;
  }

  get closed(): boolean {
    return this.closeCalls > 0;
  }

  /** The server answered 200 with `text/event-stream`. */
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.dispatch(new Event('open'));
  }

  /** One SSE message `event: <type>`, `data: <data>` (objects are sent as JSON). */
  message(type: string, data: unknown): void {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    this.dispatch(new MessageEvent(type, { data: text }));
  }

  /** The connection dropped and the browser will retry by itself (readyState CONNECTING). */
  drop(): void {
    this.readyState = FakeEventSource.CONNECTING;
    this.dispatch(new Event('error'));
  }

  /** The browser gave up: a non-200 answer or a failed reconnection (readyState CLOSED). */
  fail(): void {
    this.readyState = FakeEventSource.CLOSED;
    this.dispatch(new Event('error'));
  }

  private dispatch(event: Event): void {
    for (const listener of this.listeners.get(event.type) ?? []) listener(event);
  }
}

import { parseWorkflowEvent, type WorkflowEvent } from '@issuecast/workflow-events';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** What a client received on one SSE connection. */
export interface SseSession {
  status: number;
  headers: Headers;
  /** Validated events, in arrival order. */
  events: WorkflowEvent[];
  /** The raw messages, with their SSE `id:` and `event:` fields. */
  messages: EventSourceMessage[];
  comments: string[];
  retry?: number;
  /** The body of a response that is not an event stream (an error answered as JSON). */
  body?: unknown;
  /** Settles when the server ends the response (`ended`) or the client aborts (`aborted`). */
  finished: Promise<'ended' | 'aborted'>;
  /** Resolves at the first event matching `predicate`, among those received or still to come. */
  waitFor(predicate: (event: WorkflowEvent) => boolean): Promise<WorkflowEvent>;
  /** Drops the connection from the client's side. */
  abort(): void;
}

/**
 * A real SSE client over `fetch` and `eventsource-parser` (the parser behind the `eventsource`
 * package): it can send `Last-Event-ID`, and checks every event against the contract.
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseSession> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const waiters: { predicate: (event: WorkflowEvent) => boolean; resolve: (event: WorkflowEvent) => void }[] =
    [];
  const session: SseSession = {
    status: response.status,
    headers: response.headers,
    events: [],
    messages: [],
    comments: [],
    finished: Promise.resolve('ended'),
    waitFor: (predicate) => {
      const seen = session.events.find(predicate);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    abort: () => controller.abort(),
  };
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const text = await response.text();
    session.body = text ? JSON.parse(text) : undefined;
    return session;
  }

  const parser = createParser({
    onEvent: (message) => {
      session.messages.push(message);
      const parsed = parseWorkflowEvent(message.data);
      if (!parsed.ok) throw new Error(`Invalid event ${message.data}: ${parsed.error}`);
      session.events.push(parsed.event);
      for (const waiter of waiters.filter(({ predicate }) => predicate(parsed.event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(parsed.event);
      }
    },
    onComment: (comment) => session.comments.push(comment),
    onRetry: (retry) => (session.retry = retry),
  });
  session.finished = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body ?? []) parser.feed(decoder.decode(chunk, { stream: true }));
      return 'ended';
    } catch (error) {
      if (controller.signal.aborted) return 'aborted';
      throw error;
    }
  })();
  return session;
}

/** Reads a whole stream: opens it and waits for the server to end it. */
export async function readSse(url: string, headers: Record<string, string> = {}): Promise<SseSession> {
  const session = await openSse(url, headers);
  await session.finished;
  return session;
}

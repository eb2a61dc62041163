import { parseWorkflowEvent, type WorkflowEvent } from '@issuecast/workflow-events';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { DocumentConformance } from './openapi/document-conformance';

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
 * package): it can send `Last-Event-ID`, and checks every event against the contract and, given a
 * `conformance`, every event and JSON answer against the OpenAPI document. An event either refuses
 * fails the reading (`finished`) and every `waitFor`.
 */
export async function openSse(
  url: string,
  headers: Record<string, string> = {},
  conformance?: DocumentConformance,
): Promise<SseSession> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const waiters: {
    predicate: (event: WorkflowEvent) => boolean;
    resolve: (event: WorkflowEvent) => void;
    reject: (failure: Error) => void;
  }[] = [];
  let failure: Error | undefined;
  const session: SseSession = {
    status: response.status,
    headers: response.headers,
    events: [],
    messages: [],
    comments: [],
    finished: Promise.resolve('ended'),
    waitFor: (predicate) => {
      if (failure) return Promise.reject(failure);
      const seen = session.events.find(predicate);
      return seen
        ? Promise.resolve(seen)
        : new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
    abort: () => controller.abort(),
  };
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.startsWith('text/event-stream')) {
    const text = await response.text();
    session.body = text ? JSON.parse(text) : undefined;
    if (text) conformance?.check('GET', new URL(url), response.status, contentType, session.body);
    return session;
  }

  /** The event a message carries, as the contract parses it, once the document accepts its JSON as sent. */
  const eventOf = (data: string): WorkflowEvent => {
    const parsed = parseWorkflowEvent(data);
    if (!parsed.ok) throw new Error(`Invalid event ${data}: ${parsed.error}`);
    conformance?.check('GET', new URL(url), response.status, contentType, JSON.parse(data));
    return parsed.event;
  };
  const parser = createParser({
    onEvent: (message) => {
      session.messages.push(message);
      let event: WorkflowEvent;
      try {
        event = eventOf(message.data);
      } catch (error) {
        failure ??= error as Error;
        for (const waiter of waiters.splice(0)) waiter.reject(failure);
        throw error;
      }
      session.events.push(event);
      for (const waiter of waiters.filter(({ predicate }) => predicate(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
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
export async function readSse(
  url: string,
  headers: Record<string, string> = {},
  conformance?: DocumentConformance,
): Promise<SseSession> {
  const session = await openSse(url, headers, conformance);
  await session.finished;
  return session;
}

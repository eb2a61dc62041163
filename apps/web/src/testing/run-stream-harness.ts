import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { SSE_EVENT_NAMES, type WorkflowEvent } from '@issuecast/workflow-events';
import type { RunSnapshot } from '@issuecast/workflows-api';
import type { Subscription } from 'rxjs';
import { EVENT_SOURCE } from '../app/runs/stream/event-source';
import { RunStream } from '../app/runs/stream/run-stream';
import { FakeEventSource } from './fake-event-source';
import { snapshotUrl } from './run-snapshot';
import { workflowId } from './workflow-events';

/** What a subscriber to {@link workflowId}'s events has received, and how its subscription ended. */
interface Followed {
  delivered: WorkflowEvent[];
  outcome: { completed: boolean; error?: unknown };
  subscription: Subscription;
}

/** A `RunStream` on the run's page, against a fake `EventSource` and Angular's HTTP testing backend. */
export interface RunStreamHarness {
  stream: RunStream;
  http: HttpTestingController;
  router: Router;
  /** Subscribes to the run's events, after `afterId` when given. */
  follow(afterId?: number): Followed;
  /** The browser gives up on the latest source; the stream asks the snapshot route why, and gets `answer`. */
  giveUp(answer: { body: RunSnapshot } | { status: number; headers?: Record<string, string> }): void;
  /** Fails the test if a request is left unanswered; gives the real timers back. */
  stop(): void;
}

/** Starts a harness with fake timers: each test sets the clock itself. */
export async function startRunStream(): Promise<RunStreamHarness> {
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
  const stream = TestBed.inject(RunStream);
  const http = TestBed.inject(HttpTestingController);
  const router = TestBed.inject(Router);
  await router.navigateByUrl(`/runs/${workflowId}`);

  return {
    stream,
    http,
    router,
    follow(afterId) {
      const delivered: WorkflowEvent[] = [];
      const outcome: Followed['outcome'] = { completed: false };
      const subscription = stream.events(workflowId, { afterId }).subscribe({
        next: (event) => delivered.push(event),
        error: (error: unknown) => (outcome.error = error),
        complete: () => (outcome.completed = true),
      });
      return { delivered, outcome, subscription };
    },
    giveUp(answer) {
      FakeEventSource.latest().fail();
      const probe = http.expectOne(snapshotUrl);
      expect(probe.request.method).toBe('GET');
      if ('body' in answer) probe.flush(answer.body);
      else
        probe.flush(
          { statusCode: answer.status, message: 'refused' },
          { status: answer.status, statusText: 'Refused', headers: answer.headers },
        );
    },
    stop() {
      http.verify();
      jest.useRealTimers();
    },
  };
}

/** The server sends `events` on `source`, each as the message of its type's SSE name. */
export function send(source: FakeEventSource, ...events: WorkflowEvent[]): void {
  for (const event of events) source.message(SSE_EVENT_NAMES[event.type], event);
}

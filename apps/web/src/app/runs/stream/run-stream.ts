import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import {
  SSE_EVENT_NAMES,
  type WorkflowEvent,
  isFinished,
  isTerminalEvent,
  parseWorkflowEvent,
} from '@issuecast/workflow-events';
import { workflowEventsUrl } from '@issuecast/workflows-api';
import { Observable, type Subscription, catchError, map, of, switchMap, timer } from 'rxjs';
import { handlesUnauthorized } from '../../auth/handles-unauthorized';
import { SignInRedirect } from '../../auth/sign-in-redirect';
import { EVENT_SOURCE } from './event-source';
import { reconnectDelay } from './reconnect-delay';
import { retryAfterMs } from '../../api/retry-after';
import { RunStreamError } from './run-stream-error';
import { RunsApi } from '../runs-api/runs-api';

/** Where the connection to a run's event stream stands. */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** `EventSource.readyState` once the browser has given up on a source for good. */
const CLOSED = 2;

/** What the snapshot route says about a stream that the browser gave up on. */
type Diagnosis =
  { kind: 'retry'; delayMs: number } | { kind: 'finished' } | { kind: 'signed_out' } | { kind: 'not_found' };

/**
 * A run's events as an Observable over `EventSource`. Provide it per component: {@link state}
 * follows the stream subscribed last.
 */
@Injectable()
export class RunStream {
  private readonly EventSource = inject(EVENT_SOURCE);
  private readonly api = inject(RunsApi);
  private readonly signIn = inject(SignInRedirect);
  private readonly connection = signal<StreamState>('closed');

  readonly state = this.connection.asReadonly();

  /**
   * The events of a run after `afterId`, each validated and delivered once, in id order. Subscribing
   * opens the stream and unsubscribing closes it; the terminal event completes it. The browser's own
   * retries are left to it; once it gives up, the stream resumes by itself after a backoff.
   * Fails with a {@link RunStreamError} when the run is not found, the session is gone (the user is
   * sent to sign-in) or the server sends something that is not an event.
   */
  events(workflowId: string, { afterId = 0 }: { afterId?: number } = {}): Observable<WorkflowEvent> {
    return new Observable<WorkflowEvent>((subscriber) => {
      let lastId = afterId;
      let failures = 0;
      let source: EventSource | undefined;
      let waiting: Subscription | undefined;

      const stop = () => {
        waiting?.unsubscribe();
        waiting = undefined;
        source?.close();
        source = undefined;
        this.connection.set('closed');
      };

      const fail = (error: RunStreamError) => {
        stop();
        subscriber.error(error);
      };

      const deliver = (data: unknown) => {
        const parsed = parseWorkflowEvent(data);
        if (!parsed.ok || parsed.event.workflowId !== workflowId) {
          const why = parsed.ok ? 'it belongs to another run' : parsed.error;
          fail(
            new RunStreamError('invalid_event', `The server sent an event this page cannot read (${why}).`),
          );
          return;
        }
        const { event } = parsed;
        if (event.id <= lastId) return;
        lastId = event.id;
        subscriber.next(event);
        if (isTerminalEvent(event)) {
          stop();
          subscriber.complete();
        }
      };

      const connect = () => {
        const url = workflowEventsUrl(workflowId) + (lastId > 0 ? `?lastEventId=${lastId}` : '');
        const opened = new this.EventSource(url, { withCredentials: true });
        source = opened;
        const current = () => source === opened;
        opened.addEventListener('open', () => {
          if (!current()) return;
          failures = 0;
          this.connection.set('open');
        });
        // Only the connection's trouble: a run's failure arrives under its own name, `run_error`.
        opened.addEventListener('error', () => {
          if (!current()) return;
          if (opened.readyState === CLOSED) diagnose();
          else this.connection.set('reconnecting');
        });
        for (const name of Object.values(SSE_EVENT_NAMES)) {
          opened.addEventListener(name, (event) => {
            if (current()) deliver((event as MessageEvent<unknown>).data);
          });
        }
      };

      // EventSource hides the status code of a refused connection, so ask the snapshot route why.
      const diagnose = () => {
        source?.close();
        source = undefined;
        this.connection.set('reconnecting');
        const backoff = reconnectDelay(failures++);
        waiting = this.api
          .snapshot(workflowId, handlesUnauthorized())
          .pipe(
            map((snapshot): Diagnosis =>
              isFinished({ state: snapshot.status }) && snapshot.lastEventId <= lastId
                ? { kind: 'finished' }
                : { kind: 'retry', delayMs: backoff },
            ),
            catchError((error: unknown) => of(diagnosisOf(error, backoff))),
            switchMap((diagnosis) =>
              diagnosis.kind === 'retry'
                ? timer(diagnosis.delayMs).pipe(map(() => diagnosis))
                : of(diagnosis),
            ),
          )
          .subscribe((diagnosis) => {
            waiting = undefined;
            switch (diagnosis.kind) {
              case 'retry':
                connect();
                return;
              case 'finished':
                stop();
                subscriber.complete();
                return;
              case 'not_found':
                fail(
                  new RunStreamError(
                    'not_found',
                    'This run was not found. It may have expired, or it is not yours.',
                  ),
                );
                return;
              case 'signed_out':
                fail(
                  new RunStreamError(
                    'signed_out',
                    'Your session has ended. Sign in again to follow this run.',
                  ),
                );
                this.signIn.go();
                return;
            }
          });
      };

      this.connection.set('connecting');
      connect();
      return stop;
    });
  }
}

function diagnosisOf(error: unknown, backoff: number): Diagnosis {
  if (!(error instanceof HttpErrorResponse)) return { kind: 'retry', delayMs: backoff };
  switch (error.status) {
    case 401:
      return { kind: 'signed_out' };
    case 404:
      return { kind: 'not_found' };
    case 429:
      return {
        kind: 'retry',
        delayMs: Math.max(backoff, retryAfterMs(error.headers.get('Retry-After')) ?? 0),
      };
    default:
      return { kind: 'retry', delayMs: backoff };
  }
}

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import type { IssueRef, RunSnapshot } from '@issuecast/workflows-api';
import { queueScheduler } from 'rxjs';
import { RunPage } from '../app/runs/run-page/run-page';
import { EVENT_SOURCE } from '../app/runs/stream/event-source';
import { FRAME_SCHEDULER } from '../app/runs/stream/frame-scheduler';
import { settle, text } from './dom';
import { FakeEventSource } from './fake-event-source';
import { runSnapshot, snapshotUrl } from './run-snapshot';
import { send as sendOn } from './run-stream-harness';
import { workflowId } from './workflow-events';

export const githubIssue: IssueRef = {
  repository: 'octo-org/octo-repo',
  number: 42,
  title: 'Crash when saving a draft',
};
export const pastedIssue: IssueRef = { title: 'Crash when saving a draft' };

/**
 * The page of {@link workflowId}, a run about `issue`, navigated to through the router, its snapshot answered
 * (with `snapshot` over it) and its stream open; `send` plays the server and waits for the page to show what it sent.
 */
export async function renderRunPage(issue: IssueRef = githubIssue, snapshot: Partial<RunSnapshot> = {}) {
  FakeEventSource.reset();
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter(
        [
          { path: 'runs/new', children: [] },
          { path: 'runs/:workflowId', component: RunPage },
          { path: '**', children: [] },
        ],
        withComponentInputBinding(),
      ),
      { provide: EVENT_SOURCE, useValue: FakeEventSource },
      { provide: FRAME_SCHEDULER, useValue: queueScheduler },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const harness = await RouterTestingHarness.create();
  const navigated = harness.navigateByUrl(`/runs/${workflowId}`, RunPage);
  await settle();
  http.expectOne(snapshotUrl).flush(runSnapshot({ issue, ...snapshot }));
  await navigated;
  const element = harness.routeNativeElement as HTMLElement;
  const source = FakeEventSource.latest();
  source.open();

  const send = async (...events: WorkflowEvent[]) => {
    sendOn(FakeEventSource.latest(), ...events);
    await harness.fixture.whenStable();
  };
  return { harness, element, http, source, send, router: TestBed.inject(Router) };
}

/** The text of the page's `role="status"` region: the run's state, and `Reconnecting…` while the stream is down. */
export const runStatus = (element: HTMLElement) => text(element.querySelector('[role="status"]'));

/** The region the draft is rendered in. */
export const commentDraft = (element: HTMLElement) =>
  element.querySelector<HTMLElement>('[role="region"][aria-label="Comment draft"]');

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import type { IssueRef, RunSnapshot } from '@issuecast/workflows-api';
import { queueScheduler } from 'rxjs';
import { button, maybeButton, settle, text } from '../../../testing/dom';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { workflowEvent, workflowId } from '../../../testing/workflow-events';
import { EVENT_SOURCE } from '../stream/event-source';
import { FRAME_SCHEDULER } from '../stream/frame-scheduler';
import { RunPage } from './run-page';

const snapshotUrl = `/api/workflows/${workflowId}`;
const githubIssue: IssueRef = {
  repository: 'octo-org/octo-repo',
  number: 42,
  title: 'Crash when saving a draft',
};
const pastedIssue: IssueRef = { title: 'Crash when saving a draft' };

const queued = workflowEvent(1, 'status', { content: 'Queued', step: 'queued' });
const drafting = workflowEvent(2, 'status', { content: 'Drafting the comment', step: 'drafting' });

function snapshotOf(issue: IssueRef, overrides: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    workflowId,
    status: 'queued',
    issue,
    text: '',
    lastEventId: 0,
    createdAt: '2026-11-25T10:00:00.000Z',
    eventsUrl: `${snapshotUrl}/events`,
    ...overrides,
  };
}

describe(RunPage.name, () => {
  async function render(issue: IssueRef = githubIssue) {
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
    http.expectOne(snapshotUrl).flush(snapshotOf(issue));
    await navigated;
    const element = harness.routeNativeElement as HTMLElement;
    const source = FakeEventSource.latest();
    source.open();

    const send = async (...events: WorkflowEvent[]) => {
      for (const event of events) FakeEventSource.latest().message(event.type, event);
      await harness.fixture.whenStable();
    };
    return { harness, element, http, source, send, router: TestBed.inject(Router) };
  }

  const status = (element: HTMLElement) => text(element.querySelector('[role="status"]'));
  const draft = (element: HTMLElement) =>
    element.querySelector<HTMLElement>('[role="region"][aria-label="Comment draft"]');

  it('follows the run from the start, with credentials', async () => {
    const { source } = await render();

    expect(source.url).toBe(`${snapshotUrl}/events`);
    expect(source.withCredentials).toBe(true);
  });

  it('shows a queued run, with the issue it is about', async () => {
    const { element, send } = await render();

    await send(queued);

    expect(status(element)).toBe('Queued');
    expect(text(element.querySelector('h1'))).toBe('Crash when saving a draft');
    expect(text(element.querySelector('.eyebrow'))).toContain('octo-org/octo-repo#42');
    expect(text(element.querySelector('ol'))).toContain('Queued');
    expect(maybeButton(element, 'Cancel')).not.toBeNull();
    expect(button(element, 'Copy').disabled).toBe(true);
    expect(button(element, 'Post to GitHub').disabled).toBe(true);
  });

  it('grows the draft while the run is running, and lists its steps in order', async () => {
    const { element, send } = await render();

    await send(queued, drafting, workflowEvent(3, 'llm_response', { content: 'Thanks for ' }));
    await send(workflowEvent(4, 'llm_response', { content: 'the **report**.' }));

    expect(status(element)).toBe('Running');
    const region = draft(element);
    expect(region?.getAttribute('aria-live')).toBe('polite');
    expect(text(region)).toBe('Thanks for the report.');
    expect(region?.querySelector('strong')?.textContent).toBe('report');
    expect([...element.querySelectorAll('ol > li .what')].map((item) => text(item))).toEqual([
      'Queued',
      'Drafting the comment',
    ]);
  });

  it('never repeats text when a resumed stream sends events it already had', async () => {
    const { element, send, source } = await render();
    await send(queued, drafting, workflowEvent(3, 'llm_response', { content: 'Hello' }));

    source.drop();
    source.open();
    await send(
      drafting,
      workflowEvent(3, 'llm_response', { content: 'Hello' }),
      workflowEvent(4, 'llm_response', { content: ', world' }),
    );

    expect(text(draft(element))).toBe('Hello, world');
  });

  it('renders the completed comment as Markdown, with script and image payloads inert', async () => {
    const { element, send } = await render();
    const comment = [
      '## Triage',
      '',
      '- Reproduced on **main**',
      '- See [the docs](https://example.test/docs)',
      '',
      '```ts',
      'save(draft);',
      '```',
      '',
      '<script>window.hacked = true</script>',
      '',
      '<img src="https://evil.test/pixel.png" onerror="window.hacked = true">',
      '',
      'Look: ![pixel](https://evil.test/pixel.png) and [click me](javascript:window.hacked=true)',
    ].join('\n');

    await send(queued, drafting, workflowEvent(3, 'complete', { content: comment }));

    expect(status(element)).toBe('Completed');
    const region = draft(element);
    expect(region?.querySelector('h2')?.textContent).toBe('Triage');
    expect(region?.querySelectorAll('ul > li')).toHaveLength(2);
    expect(region?.querySelector('pre code')?.textContent).toBe('save(draft);\n');
    expect(region?.querySelector('a[href="https://example.test/docs"]')?.getAttribute('rel')).toBe(
      'noopener noreferrer nofollow',
    );
    expect(region?.querySelector('script, img, iframe')).toBeNull();
    const attributes = [...(region?.querySelectorAll('*') ?? [])].flatMap((node) => node.getAttributeNames());
    expect(attributes.filter((name) => name.startsWith('on'))).toEqual([]);
    expect(text(region)).toContain('Look: pixel and click me');
    expect(
      [...(region?.querySelectorAll('[href], [src]') ?? [])].map((node) => node.getAttribute('href')),
    ).toEqual(['https://example.test/docs']);
    expect((window as { hacked?: boolean }).hacked).toBeUndefined();
    expect(maybeButton(element, 'Cancel')).toBeNull();
    expect(button(element, 'Post to GitHub').disabled).toBe(false);
  });

  it('copies the Markdown and says so', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { element, send, harness } = await render();
    await send(queued, workflowEvent(2, 'complete', { content: '**Done**' }));

    button(element, 'Copy').click();
    await settle();
    await harness.fixture.whenStable();

    expect(writeText).toHaveBeenCalledWith('**Done**');
    expect(text(element.querySelector('[aria-live="polite"].toolbar-notice'))).toBe('Copied');
  });

  it("says why posting to GitHub failed, in the API's words", async () => {
    const { element, send, http, harness } = await render();
    await send(queued, workflowEvent(2, 'complete', { content: 'Done' }));

    button(element, 'Post to GitHub').click();
    const request = http.expectOne(`${snapshotUrl}/post`);
    expect(request.request.method).toBe('POST');
    const refusal = 'GitHub refused the comment: the token cannot write to issues of octo-org/octo-repo.';
    request.flush(
      { statusCode: 403, message: refusal, error: 'Forbidden' },
      { status: 403, statusText: 'Forbidden' },
    );
    await harness.fixture.whenStable();

    expect(text(element.querySelector('p[role="alert"]'))).toBe(refusal);
  });

  it('links to the comment once it is posted', async () => {
    const { element, send, http, harness } = await render();
    await send(queued, workflowEvent(2, 'complete', { content: 'Done' }));

    button(element, 'Post to GitHub').click();
    http
      .expectOne(`${snapshotUrl}/post`)
      .flush({ commentUrl: 'https://github.com/octo-org/octo-repo/issues/42#issuecomment-1' });
    await settle();
    http.expectOne(snapshotUrl).flush(
      snapshotOf(githubIssue, {
        status: 'completed',
        commentUrl: 'https://github.com/octo-org/octo-repo/issues/42#issuecomment-1',
      }),
    );
    await harness.fixture.whenStable();

    const link = [...element.querySelectorAll('a')].find((anchor) => text(anchor) === 'View the comment');
    expect(link?.getAttribute('href')).toBe('https://github.com/octo-org/octo-repo/issues/42#issuecomment-1');
    expect(button(element, 'Post to GitHub').disabled).toBe(true);
  });

  it('cancels a running run and shows it cancelled', async () => {
    const { element, send, http, harness } = await render();
    await send(queued, drafting);

    button(element, 'Cancel').click();
    const request = http.expectOne(`${snapshotUrl}/cancel`);
    expect(request.request.method).toBe('POST');
    request.flush(snapshotOf(githubIssue, { status: 'cancelled' }));
    await harness.fixture.whenStable();
    await send(
      workflowEvent(3, 'error', { content: 'Cancelled by the user.', code: 'cancelled', retryable: false }),
    );

    expect(status(element)).toBe('Cancelled');
    expect(text(element.querySelector('.alert'))).toBe('Cancelled by the user.');
    expect(text(element.querySelector('ol > li:last-child .what'))).toBe('Cancelled');
    expect(maybeButton(element, 'Cancel')).toBeNull();
    expect(maybeButton(element, 'Try again')).toBeNull();
  });

  it('says what failed in words, and starts the same run again when it can be retried', async () => {
    const { element, send, http, harness, router } = await render();
    await send(
      queued,
      workflowEvent(2, 'error', {
        content: 'The model did not answer in time.',
        code: 'llm_failed',
        retryable: true,
      }),
    );

    expect(status(element)).toBe('Failed');
    expect(text(element.querySelector('div[role="alert"]'))).toContain(
      'The language model could not write the draft. The model did not answer in time.',
    );

    button(element, 'Try again').click();
    const request = http.expectOne('/api/workflows/comment-on-issue');
    expect(request.request.body).toEqual({ repository: 'octo-org/octo-repo', issueNumber: 42 });
    const nextId = '9f0e8d7c-6b5a-4c3d-8e1f-0a1b2c3d4e5f';
    request.flush({ workflowId: nextId, eventsUrl: `/api/workflows/${nextId}/events`, status: 'queued' });
    await settle();
    http.expectOne(`/api/workflows/${nextId}`).flush(snapshotOf(githubIssue, { workflowId: nextId }));
    await harness.fixture.whenStable();

    expect(router.url).toBe(`/runs/${nextId}`);
    expect(FakeEventSource.latest().url).toBe(`/api/workflows/${nextId}/events`);
    expect(status(element)).toBe('Queued');
  });

  it('offers a new run instead when a pasted issue cannot be rebuilt', async () => {
    const { element, send } = await render(pastedIssue);

    await send(
      queued,
      workflowEvent(2, 'error', { content: 'The model failed.', code: 'llm_failed', retryable: true }),
    );

    expect(maybeButton(element, 'Try again')).toBeNull();
    const link = [...element.querySelectorAll('a')].find((anchor) => text(anchor) === 'Start a new run');
    expect(link?.getAttribute('href')).toBe('/runs/new');
  });

  it('says it is reconnecting while the stream is down', async () => {
    const { element, send, source, harness } = await render();
    await send(queued, drafting);

    source.drop();
    await harness.fixture.whenStable();
    expect(status(element)).toBe('Running Reconnecting…');

    source.open();
    await harness.fixture.whenStable();
    expect(status(element)).toBe('Running');
  });

  it('says so when the run does not exist', async () => {
    const { element, source, http, harness } = await render();

    source.fail();
    http
      .expectOne(snapshotUrl)
      .flush({ statusCode: 404, message: 'No such run' }, { status: 404, statusText: 'Not Found' });
    await harness.fixture.whenStable();

    expect(text(element.querySelector('div[role="alert"]'))).toContain('This run was not found.');
    expect(status(element)).toBe('Unavailable');
  });
});

import { button, maybeButton, settle, text } from '../../../testing/dom';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { githubIssue, pastedIssue, renderRunPage, runStatus } from '../../../testing/run-page-harness';
import { runSnapshot, snapshotUrl } from '../../../testing/run-snapshot';
import { workflowEvent } from '../../../testing/workflow-events';
import { RunPage } from './run-page';
import { problemDetails } from '../../../testing/problem-details';

const queued = workflowEvent(1, 'status', { content: 'Queued', step: 'queued' });
const drafting = workflowEvent(2, 'status', { content: 'Drafting the comment', step: 'drafting' });

describe(`${RunPage.name} actions`, () => {
  it('copies the Markdown and says so', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { element, send, harness } = await renderRunPage();
    await send(queued, workflowEvent(2, 'complete', { content: '**Done**' }));

    button(element, 'Copy').click();
    await settle();
    await harness.fixture.whenStable();

    expect(writeText).toHaveBeenCalledWith('**Done**');
    expect(text(element.querySelector('[aria-live="polite"].toolbar-notice'))).toBe('Copied');
  });

  it("says why posting to GitHub failed, in the API's words", async () => {
    const { element, send, http, harness } = await renderRunPage();
    await send(queued, workflowEvent(2, 'complete', { content: 'Done' }));

    button(element, 'Post to GitHub').click();
    const request = http.expectOne(`${snapshotUrl}/post`);
    expect(request.request.method).toBe('POST');
    const refusal = 'GitHub refused the comment: the token cannot write to issues of octo-org/octo-repo.';
    request.flush(problemDetails(403, refusal), { status: 403, statusText: 'Forbidden' });
    await settle();
    http
      .expectOne(snapshotUrl)
      .flush(
        runSnapshot({
          issue: githubIssue,
          status: 'completed',
          postingAttemptedAt: new Date().toISOString(),
        }),
      );
    await harness.fixture.whenStable();

    expect(text(element.querySelector('p[role="alert"]'))).toBe(refusal);
    expect(maybeButton(element, 'Edit draft')).toBeNull();
    expect(text(element.querySelector('.draft-note'))).toBe(
      'Posting this draft was tried, so it can no longer be edited; Post to GitHub tries again.',
    );
    expect(button(element, 'Post to GitHub').disabled).toBe(false);
  });

  it('offers no edit of a draft whose posting was tried before the page opened', async () => {
    const { element, send, harness } = await renderRunPage(githubIssue, {
      postingAttemptedAt: '2026-12-01T10:00:00.000Z',
    });
    await send(queued, workflowEvent(2, 'complete', { content: 'Done' }));
    await harness.fixture.whenStable();

    expect(maybeButton(element, 'Edit draft')).toBeNull();
    expect(button(element, 'Post to GitHub').disabled).toBe(false);
  });

  it('links to the comment once it is posted', async () => {
    const { element, send, http, harness } = await renderRunPage();
    await send(queued, workflowEvent(2, 'complete', { content: 'Done' }));

    button(element, 'Post to GitHub').click();
    http
      .expectOne(`${snapshotUrl}/post`)
      .flush({ commentUrl: 'https://github.com/octo-org/octo-repo/issues/42#issuecomment-1' });
    await settle();
    http.expectOne(snapshotUrl).flush(
      runSnapshot({
        issue: githubIssue,
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
    const { element, send, http, harness } = await renderRunPage();
    await send(queued, drafting);

    button(element, 'Cancel').click();
    const request = http.expectOne(`${snapshotUrl}/cancel`);
    expect(request.request.method).toBe('POST');
    request.flush(runSnapshot({ issue: githubIssue, status: 'cancelled' }));
    await harness.fixture.whenStable();
    await send(
      workflowEvent(3, 'error', { content: 'Cancelled by the user.', code: 'cancelled', retryable: false }),
    );

    expect(runStatus(element)).toBe('Cancelled');
    expect(text(element.querySelector('.alert'))).toBe('Cancelled by the user.');
    expect(text(element.querySelector('ol > li:last-child .what'))).toBe('Cancelled');
    expect(maybeButton(element, 'Cancel')).toBeNull();
    expect(maybeButton(element, 'Try again')).toBeNull();
  });

  it('says what failed in words, and starts another take on the issue when it can be retried', async () => {
    const { element, send, http, harness, router } = await renderRunPage();
    await send(
      queued,
      workflowEvent(2, 'error', {
        content: 'The model did not answer in time.',
        code: 'llm_failed',
        retryable: true,
      }),
    );

    expect(runStatus(element)).toBe('Failed');
    expect(text(element.querySelector('div[role="alert"]'))).toContain(
      'The language model could not write the draft. The model did not answer in time.',
    );

    button(element, 'Try again').click();
    const request = http.expectOne(`${snapshotUrl}/retry`);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({});
    const nextId = '9f0e8d7c-6b5a-4c3d-8e1f-0a1b2c3d4e5f';
    request.flush({ workflowId: nextId, eventsUrl: `/api/workflows/${nextId}/events`, status: 'queued' });
    await settle();
    http.expectOne(`/api/workflows/${nextId}`).flush(runSnapshot({ issue: githubIssue, workflowId: nextId }));
    await harness.fixture.whenStable();

    expect(router.url).toBe(`/runs/${nextId}`);
    expect(FakeEventSource.latest().url).toBe(`/api/workflows/${nextId}/events`);
    expect(runStatus(element)).toBe('Queued');
  });

  it('offers Try again on a run a restart ended interrupted, opened afterwards from its snapshot and replay', async () => {
    const interrupted = {
      content: 'The server restarted while the comment was being drafted; start it again.',
      code: 'interrupted',
      retryable: true,
    } as const;
    const { element, send, http, harness } = await renderRunPage(githubIssue, {
      status: 'failed',
      lastEventId: 3,
      error: { code: interrupted.code, message: interrupted.content, retryable: true },
      finishedAt: '2026-11-25T10:05:00.000Z',
    });
    await send(queued, drafting, workflowEvent(3, 'error', interrupted));

    expect(runStatus(element)).toBe('Failed');
    expect(text(element.querySelector('div[role="alert"]'))).toContain(
      `The server restarted while the run was going on. ${interrupted.content}`,
    );

    button(element, 'Try again').click();
    const request = http.expectOne(`${snapshotUrl}/retry`);
    expect(request.request.body).toEqual({});
    request.flush(problemDetails(503, 'The server is shutting down'), {
      status: 503,
      statusText: 'Service Unavailable',
    });
    await harness.fixture.whenStable();

    expect(button(element, 'Try again').disabled).toBe(false);
  });

  it('tries a pasted issue again too, the server keeping the issue', async () => {
    const { element, send, http } = await renderRunPage(pastedIssue);

    await send(
      queued,
      workflowEvent(2, 'error', { content: 'The model failed.', code: 'llm_failed', retryable: true }),
    );

    button(element, 'Try again').click();
    expect(http.expectOne(`${snapshotUrl}/retry`).request.method).toBe('POST');
  });
});

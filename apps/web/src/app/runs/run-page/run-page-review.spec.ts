import { button, field, maybeButton, settle, text, type } from '../../../testing/dom';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { problemDetails } from '../../../testing/problem-details';
import { commentDraft, githubIssue, renderRunPage } from '../../../testing/run-page-harness';
import { runSnapshot, snapshotUrl } from '../../../testing/run-snapshot';
import { workflowEvent, workflowId } from '../../../testing/workflow-events';
import { RunPage } from './run-page';

const queued = workflowEvent(1, 'status', { content: 'Queued', step: 'queued' });
const usage = {
  model: 'gpt-test',
  promptTokens: 1_234,
  completionTokens: 56,
  timeToFirstTokenMs: 640,
  durationMs: 4_250,
};
const completed = workflowEvent(2, 'complete', { content: 'Thanks for the **report**.', usage });
const commentUrl = 'https://github.com/octo-org/octo-repo/issues/42#issuecomment-1';
const firstTake = '0e1d2c3b-4a59-4687-8776-655443322110';

const preview = (element: HTMLElement) =>
  element.querySelector<HTMLElement>('[role="region"][aria-label="Preview"]');

describe(`${RunPage.name} review`, () => {
  it('edits the draft beside its preview, saves it, and posts the edited text', async () => {
    const { element, send, http, harness } = await renderRunPage();
    await send(queued, completed);

    button(element, 'Edit draft').click();
    await harness.fixture.whenStable();
    const markdown = field<HTMLTextAreaElement>(element, 'Markdown');
    expect(markdown.value).toBe('Thanks for the **report**.');
    expect(button(element, 'Post to GitHub').disabled).toBe(true);
    type(markdown, 'Thanks! Could you share the **logs**?');
    await harness.fixture.whenStable();
    expect(preview(element)?.querySelector('strong')?.textContent).toBe('logs');
    expect(text(element.querySelector('#draft-markdown-hint'))).toBe('37 of 65,000 characters');

    button(element, 'Save draft').click();
    await settle();
    const save = http.expectOne(`${snapshotUrl}/draft`);
    expect(save.request.method).toBe('PUT');
    expect(save.request.body).toEqual({ draft: 'Thanks! Could you share the **logs**?' });
    save.flush(
      runSnapshot({
        issue: githubIssue,
        status: 'completed',
        text: 'Thanks for the **report**.',
        draft: 'Thanks! Could you share the **logs**?',
        draftEdited: true,
      }),
    );
    await settle();
    await harness.fixture.whenStable();

    expect(element.querySelector('#draft-markdown')).toBeNull();
    expect(text(commentDraft(element))).toBe('Thanks! Could you share the logs?');
    expect(text(element.querySelector('.draft-note'))).toContain('You edited this draft');

    button(element, 'Post to GitHub').click();
    http.expectOne(`${snapshotUrl}/post`).flush({ commentUrl });
    await settle();
    http.expectOne(snapshotUrl).flush(
      runSnapshot({
        issue: githubIssue,
        status: 'completed',
        draft: 'Thanks! Could you share the **logs**?',
        draftEdited: true,
        commentUrl,
        postedText: 'Thanks! Could you share the **logs**?',
      }),
    );
    await harness.fixture.whenStable();

    expect(text(element.querySelector('.draft-note'))).toBe(
      'This is the text that was posted, as you edited it.',
    );
    expect(text(commentDraft(element))).toBe('Thanks! Could you share the logs?');
    expect(button(element, 'Post to GitHub').disabled).toBe(true);
    expect(maybeButton(element, 'Edit draft')).toBeNull();
  });

  it('shows a saved edit after a reload, and copies it', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { element, send } = await renderRunPage(githubIssue, {
      status: 'completed',
      draft: 'My own words',
      draftEdited: true,
    });
    await send(queued, completed);

    expect(text(commentDraft(element))).toBe('My own words');
    button(element, 'Copy').click();
    await settle();
    expect(writeText).toHaveBeenCalledWith('My own words');
  });

  it("refuses a blank draft without asking the server, and can go back to the model's draft", async () => {
    const { element, send, http, harness } = await renderRunPage();
    await send(queued, completed);
    button(element, 'Edit draft').click();
    await harness.fixture.whenStable();

    const markdown = field<HTMLTextAreaElement>(element, 'Markdown');
    type(markdown, '   ');
    button(element, 'Save draft').click();
    await harness.fixture.whenStable();

    http.expectNone(`${snapshotUrl}/draft`);
    expect(markdown.getAttribute('aria-invalid')).toBe('true');
    expect(text(element.querySelector('#draft-markdown-error'))).toBe('The draft cannot be empty.');

    button(element, "Back to the model's draft").click();
    await harness.fixture.whenStable();
    expect(markdown.value).toBe('Thanks for the **report**.');

    button(element, 'Discard changes').click();
    await harness.fixture.whenStable();
    expect(element.querySelector('#draft-markdown')).toBeNull();
    expect(text(commentDraft(element))).toBe('Thanks for the report.');
  });

  it("says why the server refused the edit, in the API's words", async () => {
    const { element, send, http, harness } = await renderRunPage();
    await send(queued, completed);
    button(element, 'Edit draft').click();
    await harness.fixture.whenStable();

    type(field<HTMLTextAreaElement>(element, 'Markdown'), 'Too late');
    button(element, 'Save draft').click();
    await settle();
    const refusal = 'The comment is already being posted; its draft can no longer change.';
    http
      .expectOne(`${snapshotUrl}/draft`)
      .flush(problemDetails(409, refusal), { status: 409, statusText: 'Conflict' });
    await settle();
    await harness.fixture.whenStable();

    expect(text(element.querySelector('p[role="alert"]'))).toBe(refusal);
    expect(field<HTMLTextAreaElement>(element, 'Markdown').value).toBe('Too late');
  });

  it('shows one view at a time on a phone, Write or Preview, as the toggle says', async () => {
    const { element, send, harness } = await renderRunPage();
    await send(queued, completed);
    button(element, 'Edit draft').click();
    await harness.fixture.whenStable();

    const pressed = () =>
      [...element.querySelectorAll('[role="group"][aria-label="Show"] button')].map((toggle) =>
        toggle.getAttribute('aria-pressed'),
      );
    expect(pressed()).toEqual(['true', 'false']);
    button(element, 'Preview').click();
    await harness.fixture.whenStable();
    expect(pressed()).toEqual(['false', 'true']);
    expect(element.querySelector('.panes')?.classList).toContain('showing-preview');
  });

  it('shows what the run cost once it completes', async () => {
    const { element, send } = await renderRunPage();
    await send(queued);
    expect(element.querySelector('dl.usage')).toBeNull();

    await send(completed);

    const figures = [...element.querySelectorAll('dl.usage > div')].map((row) => [
      text(row.querySelector('dt')),
      text(row.querySelector('dd')),
    ]);
    expect(figures).toEqual([
      ['Model', 'gpt-test'],
      ['Tokens', '1,234 in · 56 out'],
      ['First token after', '640 ms'],
      ['Duration', '4.3 s'],
    ]);
  });

  it('lists the takes on the issue, this one marked, with what it was asked to do', async () => {
    const { element, send } = await renderRunPage(githubIssue, {
      takes: [firstTake, workflowId],
      parentWorkflowId: firstTake,
      instructions: 'Shorter, and ask for the logs',
    });
    await send(queued);

    const takes = [...element.querySelectorAll('nav[aria-label="Takes on this issue"] a')];
    expect(
      takes.map((take) => [text(take), take.getAttribute('href'), take.getAttribute('aria-current')]),
    ).toEqual([
      ['Take 1', `/runs/${firstTake}`, null],
      ['Take 2', `/runs/${workflowId}`, 'page'],
    ]);
    expect(text(element.querySelector('.instructions'))).toBe('Asked to: Shorter, and ask for the logs');
  });

  it('starts another take with instructions and follows it', async () => {
    const { element, send, http, harness, router } = await renderRunPage();
    await send(queued, completed);

    type(field<HTMLTextAreaElement>(element, 'What should it do differently?'), ' Shorter, please ');
    button(element, 'Start another take').click();
    await settle();
    const request = http.expectOne(`${snapshotUrl}/retry`);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ instructions: 'Shorter, please' });
    const nextId = '9f0e8d7c-6b5a-4c3d-8e1f-0a1b2c3d4e5f';
    request.flush({ workflowId: nextId, eventsUrl: `/api/workflows/${nextId}/events`, status: 'queued' });
    await settle();
    await settle();
    http
      .expectOne(`/api/workflows/${nextId}`)
      .flush(runSnapshot({ issue: githubIssue, workflowId: nextId, takes: [workflowId, nextId] }));
    await harness.fixture.whenStable();

    expect(router.url).toBe(`/runs/${nextId}`);
    expect(FakeEventSource.latest().url).toBe(`/api/workflows/${nextId}/events`);
    expect(
      [...element.querySelectorAll('nav[aria-label="Takes on this issue"] a')].map((take) => text(take)),
    ).toEqual(['Take 1', 'Take 2']);
  });
});

import { button, maybeButton, text } from '../../../testing/dom';
import { commentDraft, renderRunPage, runStatus } from '../../../testing/run-page-harness';
import { snapshotUrl } from '../../../testing/run-snapshot';
import { workflowEvent } from '../../../testing/workflow-events';
import { RunPage } from './run-page';
import { problemDetails } from '../../../testing/problem-details';

const queued = workflowEvent(1, 'status', { content: 'Queued', step: 'queued' });
const drafting = workflowEvent(2, 'status', { content: 'Drafting the comment', step: 'drafting' });

describe(RunPage.name, () => {
  it('follows the run from the start, with credentials', async () => {
    const { source } = await renderRunPage();

    expect(source.url).toBe(`${snapshotUrl}/events`);
    expect(source.withCredentials).toBe(true);
  });

  it('shows a queued run, with the issue it is about', async () => {
    const { element, send } = await renderRunPage();

    await send(queued);

    expect(runStatus(element)).toBe('Queued');
    expect(text(element.querySelector('h1'))).toBe('Crash when saving a draft');
    expect(text(element.querySelector('.eyebrow'))).toContain('octo-org/octo-repo#42');
    expect(text(element.querySelector('ol'))).toContain('Queued');
    expect(maybeButton(element, 'Cancel')).not.toBeNull();
    expect(button(element, 'Copy').disabled).toBe(true);
    expect(button(element, 'Post to GitHub').disabled).toBe(true);
  });

  it('grows the draft while the run is running, and lists its steps in order', async () => {
    const { element, send } = await renderRunPage();

    await send(queued, drafting, workflowEvent(3, 'llm_response', { content: 'Thanks for ' }));
    await send(workflowEvent(4, 'llm_response', { content: 'the **report**.' }));

    expect(runStatus(element)).toBe('Running');
    const region = commentDraft(element);
    expect(region?.getAttribute('aria-live')).toBe('polite');
    expect(text(region)).toBe('Thanks for the report.');
    expect(region?.querySelector('strong')?.textContent).toBe('report');
    expect([...element.querySelectorAll('ol > li .what')].map((item) => text(item))).toEqual([
      'Queued',
      'Drafting the comment',
    ]);
  });

  it('never repeats text when a resumed stream sends events it already had', async () => {
    const { element, send, source } = await renderRunPage();
    await send(queued, drafting, workflowEvent(3, 'llm_response', { content: 'Hello' }));

    source.drop();
    source.open();
    await send(
      drafting,
      workflowEvent(3, 'llm_response', { content: 'Hello' }),
      workflowEvent(4, 'llm_response', { content: ', world' }),
    );

    expect(text(commentDraft(element))).toBe('Hello, world');
  });

  it('renders the completed comment as Markdown, with script and image payloads inert', async () => {
    const { element, send } = await renderRunPage();
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

    expect(runStatus(element)).toBe('Completed');
    const region = commentDraft(element);
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

  it('says it is reconnecting while the stream is down', async () => {
    const { element, send, source, harness } = await renderRunPage();
    await send(queued, drafting);

    source.drop();
    await harness.fixture.whenStable();
    expect(runStatus(element)).toBe('Running Reconnecting…');

    source.open();
    await harness.fixture.whenStable();
    expect(runStatus(element)).toBe('Running');
  });

  it('says so when the run does not exist', async () => {
    const { element, source, http, harness } = await renderRunPage();

    source.fail();
    http
      .expectOne(snapshotUrl)
      .flush(problemDetails(404, 'No such run'), { status: 404, statusText: 'Not Found' });
    await harness.fixture.whenStable();

    expect(text(element.querySelector('div[role="alert"]'))).toContain('This run was not found.');
    expect(runStatus(element)).toBe('Unavailable');
  });
});

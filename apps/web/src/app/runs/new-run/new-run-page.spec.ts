import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { button, field, settle, text, type } from '../../../testing/dom';
import { workflowId } from '../../../testing/workflow-events';
import { NewRunPage } from './new-run-page';
import { problemDetails } from '../../../testing/problem-details';

describe(NewRunPage.name, () => {
  async function render() {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'runs/new', component: NewRunPage },
          { path: 'runs/:workflowId', children: [] },
        ]),
      ],
    });
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/runs/new', NewRunPage);
    const element = harness.routeNativeElement as HTMLElement;
    return { harness, element, http: TestBed.inject(HttpTestingController), router: TestBed.inject(Router) };
  }

  async function generate(harness: RouterTestingHarness, element: HTMLElement): Promise<void> {
    button(element, 'Generate comment').click();
    await settle();
    await harness.fixture.whenStable();
  }

  async function pasteAnIssue(harness: RouterTestingHarness, element: HTMLElement): Promise<void> {
    field(element, 'Paste an issue').click();
    await harness.fixture.whenStable();
  }

  it('asks for a repository as owner/name and an issue number of 1 or more', async () => {
    const { harness, element, http } = await render();

    await generate(harness, element);
    expect(text(element.querySelector('#repository-error'))).toBe('Enter the repository, as owner/name.');
    expect(text(element.querySelector('#issue-number-error'))).toBe('Enter the issue number.');

    type(field(element, 'Repository'), 'not a repository');
    type(field(element, 'Issue number'), '0');
    await harness.fixture.whenStable();
    expect(text(element.querySelector('#repository-error'))).toBe(
      'Write the repository as owner/name, for example octo-org/octo-repo.',
    );
    expect(text(element.querySelector('#issue-number-error'))).toBe('The issue number is 1 or more.');

    type(field(element, 'Issue number'), '2.5');
    await harness.fixture.whenStable();
    expect(text(element.querySelector('#issue-number-error'))).toBe('The issue number is a whole number.');

    await generate(harness, element);
    http.expectNone('/api/workflows/comment-on-issue');
  });

  it('starts a run on a GitHub issue and opens its page', async () => {
    const { harness, element, http, router } = await render();

    type(field(element, 'Repository'), 'octo-org/octo-repo');
    type(field(element, 'Issue number'), '42');
    await generate(harness, element);
    const request = http.expectOne('/api/workflows/comment-on-issue');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ repository: 'octo-org/octo-repo', issueNumber: 42 });
    request.flush(
      { workflowId, eventsUrl: `/api/workflows/${workflowId}/events`, status: 'queued' },
      { status: 202, statusText: 'Accepted' },
    );
    await settle();

    expect(router.url).toBe(`/runs/${workflowId}`);
  });

  it('asks to post to GitHub only when the box is checked, and says why the API refuses', async () => {
    const { harness, element, http, router } = await render();

    type(field(element, 'Repository'), 'octo-org/octo-repo');
    type(field(element, 'Issue number'), '42');
    field(element, 'Post to GitHub when done').click();
    await generate(harness, element);
    const request = http.expectOne('/api/workflows/comment-on-issue');
    expect(request.request.body).toEqual({
      repository: 'octo-org/octo-repo',
      issueNumber: 42,
      postToGitHub: true,
    });
    request.flush(
      problemDetails(400, 'property postToGitHub should not exist', [
        { field: 'postToGitHub', message: 'property postToGitHub should not exist' },
      ]),
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    await harness.fixture.whenStable();

    expect(text(element.querySelector('[role="alert"]'))).toBe('Property postToGitHub should not exist.');
    expect(router.url).toBe('/runs/new');
  });

  it('needs a title for a pasted issue', async () => {
    const { harness, element, http } = await render();
    await pasteAnIssue(harness, element);

    expect(element.querySelector('#repository')).toBeNull();
    await generate(harness, element);

    expect(text(element.querySelector('#title-error'))).toBe('Enter the title of the issue.');
    expect(document.activeElement).toBe(field(element, 'Title'));
    http.expectNone('/api/workflows/comment-on-issue');
  });

  it('starts a run on a pasted issue with its title and body, and nothing to post it to', async () => {
    const { harness, element, http } = await render();
    await pasteAnIssue(harness, element);

    expect(field(element, 'Post to GitHub when done').disabled).toBe(true);
    type(field(element, 'Title'), 'Crash when saving a draft');
    type(field<HTMLTextAreaElement>(element, 'Body'), 'Steps:\n1. Save\n');
    await generate(harness, element);

    const request = http.expectOne('/api/workflows/comment-on-issue');
    expect(request.request.body).toEqual({
      issue: { title: 'Crash when saving a draft', body: 'Steps:\n1. Save\n' },
    });
    request.flush({ workflowId, eventsUrl: '', status: 'queued' });
    await settle();
  });
});

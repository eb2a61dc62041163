import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { RunPage, RunSnapshot } from '@issuecast/workflows-api';
import { settle, text } from '../../../testing/dom';
import { RUNS_PAGE_SIZE, RunsList } from './runs-list';

function run(workflowId: string, overrides: Partial<RunSnapshot>): RunSnapshot {
  return {
    workflowId,
    status: 'completed',
    issue: {},
    text: '',
    lastEventId: 3,
    createdAt: '2026-11-25T10:00:00.000Z',
    eventsUrl: `/api/workflows/${workflowId}/events`,
    ...overrides,
  };
}

describe(RunsList.name, () => {
  async function render(url: string, page: RunPage) {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter(
          [
            { path: 'runs', component: RunsList },
            { path: '**', children: [] },
          ],
          withComponentInputBinding(),
        ),
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    const harness = await RouterTestingHarness.create();
    const navigated = harness.navigateByUrl(url, RunsList);
    await settle();
    const request = http.expectOne((candidate) => candidate.url === '/api/workflows');
    request.flush(page);
    await navigated;
    await harness.fixture.whenStable();
    return { element: harness.routeNativeElement as HTMLElement, request };
  }

  it("lists the user's runs as the API orders them, newest first, each linking to its page", async () => {
    const { element, request } = await render('/runs', {
      items: [
        run('b0000000-0000-4000-8000-000000000002', {
          status: 'running',
          issue: { repository: 'octo-org/octo-repo', number: 42, title: 'Crash when saving' },
          createdAt: '2026-11-25T11:00:00.000Z',
        }),
        run('a0000000-0000-4000-8000-000000000001', {
          status: 'failed',
          issue: { title: 'Pasted: slow search' },
        }),
      ],
      page: 1,
      pageSize: RUNS_PAGE_SIZE,
      total: 2,
    });

    expect(request.request.params.get('page')).toBe('1');
    expect(request.request.params.get('pageSize')).toBe(String(RUNS_PAGE_SIZE));
    const rows = [...element.querySelectorAll('tbody tr')];
    const cells = (row: Element) => [...row.querySelectorAll('td a, td .issue-title, td .badge')].map(text);
    expect(rows.map(cells)).toEqual([
      ['octo-org/octo-repo#42', 'Crash when saving', 'Running'],
      ['Pasted: slow search', 'Failed'],
    ]);
    expect(rows.map((row) => row.querySelector('a')?.getAttribute('href'))).toEqual([
      '/runs/b0000000-0000-4000-8000-000000000002',
      '/runs/a0000000-0000-4000-8000-000000000001',
    ]);
    expect(rows[0].querySelector('time')?.getAttribute('datetime')).toBe('2026-11-25T11:00:00.000Z');
    expect(element.querySelector('nav')).toBeNull();
  });

  it('pages through many runs', async () => {
    const { element, request } = await render('/runs?page=2', {
      items: [run('c0000000-0000-4000-8000-000000000003', { issue: { title: 'One more' } })],
      page: 2,
      pageSize: RUNS_PAGE_SIZE,
      total: RUNS_PAGE_SIZE * 2 + 1,
    });

    expect(request.request.params.get('page')).toBe('2');
    const pages = element.querySelector('nav[aria-label="Pages"]');
    expect([...(pages?.children ?? [])].map(text)).toEqual(['Previous', 'Page 2 of 3', 'Next']);
    expect([...(pages?.querySelectorAll('a') ?? [])].map((link) => link.getAttribute('href'))).toEqual([
      '/runs?page=1',
      '/runs?page=3',
    ]);
  });

  it('invites a first run when there is none', async () => {
    const { element } = await render('/runs', { items: [], page: 1, pageSize: RUNS_PAGE_SIZE, total: 0 });

    expect(element.querySelector('table')).toBeNull();
    expect(text(element)).toContain('You have not started a run yet.');
  });
});

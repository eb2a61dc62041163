import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { RunPage, RunSnapshot } from '@issuecast/workflows-api';
import { button, field, settle, text, type } from '../../../testing/dom';
import { RUNS_PAGE_SIZE, RunsList } from './runs-list';

function run(workflowId: string, overrides: Partial<RunSnapshot>): RunSnapshot {
  return {
    workflowId,
    status: 'completed',
    issue: {},
    text: '',
    lastEventId: 3,
    draftEdited: false,
    takes: [workflowId],
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
    return { element: harness.routeNativeElement as HTMLElement, request, http, harness };
  }

  const noTokens = { promptTokens: 0, completionTokens: 0 };

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
      usage: noTokens,
    });

    expect(request.request.params.get('page')).toBe('1');
    expect(request.request.params.get('pageSize')).toBe(String(RUNS_PAGE_SIZE));
    const rows = [...element.querySelectorAll('tbody tr')];
    const cells = (row: Element) => [...row.querySelectorAll('td a, td .issue-title, td .badge')].map(text);
    expect(rows.map(cells)).toEqual([
      ['octo-org/octo-repo#42', 'Crash when saving', 'Running'],
      ['Pasted: slow search', 'pasted', 'Failed'],
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
      usage: noTokens,
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
    const { element } = await render('/runs', {
      items: [],
      page: 1,
      pageSize: RUNS_PAGE_SIZE,
      total: 0,
      usage: noTokens,
    });

    expect(element.querySelector('table')).toBeNull();
    expect(text(element)).toContain('You have not started a run yet.');
  });

  it('shows what each run cost and what all the matching runs cost together', async () => {
    const { element } = await render('/runs', {
      items: [
        run('d0000000-0000-4000-8000-000000000004', {
          issue: { repository: 'octo-org/octo-repo', number: 7, title: 'Slow search' },
          usage: { model: 'gpt-test', promptTokens: 1_200, completionTokens: 345, durationMs: 4_200 },
        }),
        run('e0000000-0000-4000-8000-000000000005', {
          issue: { title: 'Offline' },
          usage: { model: 'offline', promptTokens: 0, completionTokens: 0, durationMs: 850 },
        }),
        run('f0000000-0000-4000-8000-000000000006', { status: 'running', issue: { title: 'Going' } }),
      ],
      page: 1,
      pageSize: RUNS_PAGE_SIZE,
      total: 41,
      usage: { promptTokens: 98_765, completionTokens: 4_321 },
    });

    const figures = [...element.querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('td.figure')].map(text),
    );
    expect(figures).toEqual([
      ['Tokens: 1,200 in · 345 out', 'Time: 4.2 s'],
      ['Tokens: none', 'Time: 850 ms'],
      ['Tokens: –', 'Time: –'],
    ]);
    expect(text(element.querySelector('.totals'))).toBe('41 runs · tokens: 98,765 in · 4,321 out');
  });

  it('asks for the runs the query names: state, repository, title search and page', async () => {
    const { element, request } = await render(
      '/runs?state=failed&repository=octo-org/octo-repo&q=crash&page=2',
      {
        items: [run('c0000000-0000-4000-8000-000000000003', { status: 'failed', issue: { title: 'Crash' } })],
        page: 2,
        pageSize: RUNS_PAGE_SIZE,
        total: RUNS_PAGE_SIZE + 1,
        usage: noTokens,
      },
    );

    const params = request.request.params;
    expect(['state', 'repository', 'q', 'page'].map((name) => params.get(name))).toEqual([
      'failed',
      'octo-org/octo-repo',
      'crash',
      '2',
    ]);
    expect(field<HTMLSelectElement>(element, 'State').value).toBe('failed');
    expect(field(element, 'Repository').value).toBe('octo-org/octo-repo');
    expect(field(element, 'Search titles').value).toBe('crash');
    expect(element.querySelector('nav[aria-label="Pages"] a')?.getAttribute('href')).toBe(
      '/runs?state=failed&repository=octo-org%2Focto-repo&q=crash&page=1',
    );
  });

  it('filters from the first page, leaving out what is not set, and says when nothing matches', async () => {
    const { element, http, harness } = await render('/runs?page=3', {
      items: [],
      page: 3,
      pageSize: RUNS_PAGE_SIZE,
      total: RUNS_PAGE_SIZE * 3,
      usage: noTokens,
    });

    const state = field<HTMLSelectElement>(element, 'State');
    state.value = 'completed';
    state.dispatchEvent(new Event('input', { bubbles: true }));
    type(field(element, 'Search titles'), '  crash ');
    button(element, 'Filter').click();
    await settle();
    const request = http.expectOne((candidate) => candidate.url === '/api/workflows');
    expect(request.request.params.keys().sort()).toEqual(['page', 'pageSize', 'q', 'state']);
    expect(request.request.params.get('q')).toBe('crash');
    expect(request.request.params.get('page')).toBe('1');
    request.flush({ items: [], page: 1, pageSize: RUNS_PAGE_SIZE, total: 0, usage: noTokens });
    await harness.fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe('/runs?state=completed&q=crash');
    expect(text(element.querySelector('.empty'))).toContain('No run matches these filters.');
  });
});

import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  numberAttribute,
} from '@angular/core';
import { FormField, FormRoot, form } from '@angular/forms/signals';
import { Router, RouterLink } from '@angular/router';
import { RUN_STATES, type RunState } from '@issuecast/workflow-events';
import type { RunPage, RunSnapshot } from '@issuecast/workflows-api';
import { apiErrorMessage } from '../../api/api-error-message';
import { isGitHubIssue, issueLabel } from '../labels/issue-label';
import { RunStateBadge } from '../labels/run-state-badge';
import { RUN_STATE_LABELS } from '../labels/run-state-label';
import { durationLabel, tokensLabel } from '../usage/usage-figures';

export const RUNS_PAGE_SIZE = 20;

function pageNumber(value: unknown): number {
  const page = numberAttribute(value, 1);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

function runState(value: unknown): RunState | '' {
  return RUN_STATES.find((state) => state === value) ?? '';
}

function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

interface RunFilters {
  state: RunState | '';
  repository: string;
  q: string;
}

/** The filters that are set, trimmed, as query parameters. */
function queryOf(filters: RunFilters): Record<string, string> {
  const entries = Object.entries(filters) as [keyof RunFilters, string][];
  return Object.fromEntries(
    entries
      .map(([name, value]): [string, string] => [name, value.trim()])
      .filter(([, value]) => value !== ''),
  );
}

/**
 * The user's runs, newest first, a page at a time (`?page=`), narrowed by state, repository and a search
 * over titles (`?state=`, `?repository=`, `?q=`), with what they cost.
 */
@Component({
  selector: 'ic-runs-list',
  imports: [DatePipe, FormField, FormRoot, RouterLink, RunStateBadge],
  templateUrl: './runs-list.html',
  styleUrl: './runs-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunsList {
  readonly page = input(1, { transform: pageNumber });
  readonly state = input('', { transform: runState });
  readonly repository = input('', { transform: trimmed });
  readonly q = input('', { transform: trimmed });

  private readonly router = inject(Router);

  private readonly applied = computed<RunFilters>(() => ({
    state: this.state(),
    repository: this.repository(),
    q: this.q(),
  }));
  protected readonly filtered = computed(() => Object.keys(queryOf(this.applied())).length > 0);

  protected readonly runs = httpResource<RunPage>(() => ({
    url: '/api/workflows',
    params: { ...queryOf(this.applied()), page: this.page(), pageSize: RUNS_PAGE_SIZE },
  }));

  private readonly filters = linkedSignal(() => this.applied());
  protected readonly filterForm = form(this.filters, {
    submission: {
      action: async () => {
        await this.router.navigate(['/runs'], { queryParams: queryOf(this.filters()) });
        return undefined;
      },
    },
  });

  protected readonly pageCount = computed(() =>
    this.runs.hasValue() ? Math.max(1, Math.ceil(this.runs.value().total / this.runs.value().pageSize)) : 1,
  );
  protected readonly failure = computed(() => {
    const error = this.runs.error();
    return error ? apiErrorMessage(error, 'Your runs could not be loaded.') : null;
  });
  protected readonly totals = computed(() => {
    if (!this.runs.hasValue()) return '';
    const { total, usage } = this.runs.value();
    return `${total} ${total === 1 ? 'run' : 'runs'} · tokens: ${tokensLabel(usage)}`;
  });

  protected readonly states = RUN_STATES;
  protected readonly stateLabels = RUN_STATE_LABELS;

  protected issueOf(run: RunSnapshot): string {
    return issueLabel(run.issue);
  }

  protected isPasted(run: RunSnapshot): boolean {
    return !isGitHubIssue(run.issue);
  }

  protected tokensOf(run: RunSnapshot): string {
    return run.usage ? tokensLabel(run.usage) : '–';
  }

  protected timeOf(run: RunSnapshot): string {
    return run.usage ? durationLabel(run.usage.durationMs) : '–';
  }
}

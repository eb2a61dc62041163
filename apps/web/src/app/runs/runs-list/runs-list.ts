import { DatePipe } from '@angular/common';
import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, input, numberAttribute } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { RunPage, RunSnapshot } from '@issuecast/workflows-api';
import { apiErrorMessage } from '../../api/api-error-message';
import { issueLabel } from '../labels/issue-label';
import { RunStateBadge } from '../labels/run-state-badge';
import { RUN_STATE_LABELS } from '../labels/run-state-label';

export const RUNS_PAGE_SIZE = 20;

function pageNumber(value: unknown): number {
  const page = numberAttribute(value, 1);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

/** The user's runs, newest first, a page at a time (`?page=`). */
@Component({
  selector: 'ic-runs-list',
  imports: [DatePipe, RouterLink, RunStateBadge],
  templateUrl: './runs-list.html',
  styleUrl: './runs-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunsList {
  readonly page = input(1, { transform: pageNumber });

  protected readonly runs = httpResource<RunPage>(() => ({
    url: '/api/workflows',
    params: { page: this.page(), pageSize: RUNS_PAGE_SIZE },
  }));

  protected readonly pageCount = computed(() =>
    this.runs.hasValue() ? Math.max(1, Math.ceil(this.runs.value().total / this.runs.value().pageSize)) : 1,
  );
  protected readonly failure = computed(() => {
    const error = this.runs.error();
    return error ? apiErrorMessage(error, 'Your runs could not be loaded.') : null;
  });

  protected readonly stateLabels = RUN_STATE_LABELS;

  protected issueOf(run: RunSnapshot): string {
    return issueLabel(run.issue);
  }
}

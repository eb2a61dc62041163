import { HttpClient, type HttpContext } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  type EditDraftRequest,
  type RetryRunRequest,
  type RunSnapshot,
  type RunStarted,
  type StartRunRequest,
  workflowUrl,
} from '@issuecast/workflows-api';
import type { Observable } from 'rxjs';

/** The workflow routes of the API. */
@Injectable({ providedIn: 'root' })
export class RunsApi {
  private readonly http = inject(HttpClient);

  start(request: StartRunRequest): Observable<RunStarted> {
    return this.http.post<RunStarted>('/api/workflows/comment-on-issue', request);
  }

  snapshot(workflowId: string, context?: HttpContext): Observable<RunSnapshot> {
    return this.http.get<RunSnapshot>(workflowUrl(workflowId), { context });
  }

  cancel(workflowId: string): Observable<RunSnapshot> {
    return this.http.post<RunSnapshot>(`${workflowUrl(workflowId)}/cancel`, null);
  }

  /** Keeps `draft` as the comment to post instead of the model's; the answer is the run as it now stands. */
  editDraft(workflowId: string, draft: string): Observable<RunSnapshot> {
    const body: EditDraftRequest = { draft };
    return this.http.put<RunSnapshot>(`${workflowUrl(workflowId)}/draft`, body);
  }

  /** Starts another take on the run's issue, linked to the first; `instructions` say what to do differently. */
  retry(workflowId: string, instructions?: string): Observable<RunStarted> {
    const body: RetryRunRequest = instructions ? { instructions } : {};
    return this.http.post<RunStarted>(`${workflowUrl(workflowId)}/retry`, body);
  }

  /** Posts the finished draft to its issue; the answer carries the comment's URL. */
  post(workflowId: string): Observable<Pick<RunSnapshot, 'commentUrl'>> {
    return this.http.post<Pick<RunSnapshot, 'commentUrl'>>(`${workflowUrl(workflowId)}/post`, null);
  }
}

import { HttpClient, type HttpContext } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { RunSnapshot, RunStarted, StartRunRequest } from './run-snapshot';

/** The workflow routes of the API. */
@Injectable({ providedIn: 'root' })
export class RunsApi {
  private readonly http = inject(HttpClient);

  start(request: StartRunRequest): Observable<RunStarted> {
    return this.http.post<RunStarted>('/api/workflows/comment-on-issue', request);
  }

  snapshotUrl(workflowId: string): string {
    return `/api/workflows/${encodeURIComponent(workflowId)}`;
  }

  snapshot(workflowId: string, context?: HttpContext): Observable<RunSnapshot> {
    return this.http.get<RunSnapshot>(this.snapshotUrl(workflowId), { context });
  }

  eventsUrl(workflowId: string): string {
    return `${this.snapshotUrl(workflowId)}/events`;
  }

  cancel(workflowId: string): Observable<RunSnapshot> {
    return this.http.post<RunSnapshot>(`${this.snapshotUrl(workflowId)}/cancel`, null);
  }

  /** Posts the finished draft to its issue; the answer carries the comment's URL. */
  post(workflowId: string): Observable<Pick<RunSnapshot, 'commentUrl'>> {
    return this.http.post<Pick<RunSnapshot, 'commentUrl'>>(`${this.snapshotUrl(workflowId)}/post`, null);
  }
}

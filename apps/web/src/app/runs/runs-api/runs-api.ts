import { HttpClient, type HttpContext } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
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

  /** Posts the finished draft to its issue; the answer carries the comment's URL. */
  post(workflowId: string): Observable<Pick<RunSnapshot, 'commentUrl'>> {
    return this.http.post<Pick<RunSnapshot, 'commentUrl'>>(`${workflowUrl(workflowId)}/post`, null);
  }
}

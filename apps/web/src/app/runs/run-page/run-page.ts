import { HttpErrorResponse, httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  DestroyRef,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Router, RouterLink } from '@angular/router';
import { type RunView, initialRunView, isFinished, reduceRunView } from '@issuecast/workflow-events';
import { type RunSnapshot, workflowUrl } from '@issuecast/workflows-api';
import { EMPTY, type Observable, catchError, switchMap, tap, timer } from 'rxjs';
import { apiErrorMessage } from '../../api/api-error-message';
import { bufferPerFrame } from '../stream/buffer-per-frame';
import { FRAME_SCHEDULER } from '../stream/frame-scheduler';
import { isGitHubIssue, issueLabel } from '../labels/issue-label';
import { DraftEditor } from '../draft/draft-editor';
import { renderMarkdown } from '../draft/render-markdown';
import { RUN_ERROR_HEADLINES } from '../labels/run-error-headline';
import { RunStateBadge } from '../labels/run-state-badge';
import { RUN_STATE_LABELS } from '../labels/run-state-label';
import { RunStream } from '../stream/run-stream';
import { RunStreamError } from '../stream/run-stream-error';
import { RunTimeline } from './run-timeline';
import { RunsApi } from '../runs-api/runs-api';
import { RunUsageFigures } from '../usage/run-usage';
import { AnotherTake } from './another-take';

type Action = 'cancel' | 'post' | 'retry';

/** How long "Copied" stays on screen. */
const COPIED_NOTICE_MS = 4_000;

/**
 * One run, live: its events, replayed from the start and then followed, are folded into a view
 * (so leaving and coming back, a reload or a second tab all show the whole run, nothing twice).
 */
@Component({
  selector: 'ic-run-page',
  imports: [AnotherTake, DraftEditor, RouterLink, RunStateBadge, RunTimeline, RunUsageFigures],
  providers: [RunStream],
  templateUrl: './run-page.html',
  styleUrl: './run-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunPage {
  readonly workflowId = input.required<string>();

  private readonly stream = inject(RunStream);
  private readonly api = inject(RunsApi);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly frames = inject(FRAME_SCHEDULER);
  private readonly clipboard = inject(DOCUMENT).defaultView?.navigator.clipboard;

  protected readonly view = signal<RunView>(initialRunView);
  /** Why the page cannot follow the run (not found, unreadable events). */
  protected readonly problem = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  protected readonly busy = signal<Action | null>(null);
  protected readonly copied = signal(false);
  protected readonly editing = signal(false);
  private readonly postedUrl = signal<string | undefined>(undefined);

  /** What the events do not say: which issue the run is about, its takes, the user's edit, what was posted. */
  protected readonly snapshot = httpResource<RunSnapshot>(() => workflowUrl(this.workflowId()));
  /** The snapshot, or the run as saving an edit answered it, until the snapshot is read again. */
  private readonly run = linkedSignal(() => (this.snapshot.hasValue() ? this.snapshot.value() : undefined));

  protected readonly issue = computed(() => this.run()?.issue);
  protected readonly issueRef = computed(() => {
    const issue = this.issue();
    return issue ? issueLabel(issue) : '';
  });
  protected readonly heading = computed(() => this.issue()?.title?.trim() || this.issueRef() || 'Run');
  protected readonly stateLabel = computed(() =>
    this.problem() && this.view().lastEventId === 0 ? 'Unavailable' : RUN_STATE_LABELS[this.view().state],
  );
  protected readonly finished = computed(() => isFinished(this.view()));
  protected readonly reconnecting = computed(
    () => this.stream.state() === 'reconnecting' && !this.finished(),
  );
  protected readonly timelineEnd = computed(() => {
    const { state, finishedAt } = this.view();
    return finishedAt ? { label: RUN_STATE_LABELS[state], at: finishedAt } : undefined;
  });
  /** What was posted, else what `Post to GitHub` would post: the user's edit, else the model's comment. */
  protected readonly draft = computed(() => {
    const run = this.run();
    if (run?.postedText !== undefined) return run.postedText;
    return run?.draftEdited && run.draft !== undefined ? run.draft : this.view().text;
  });
  protected readonly draftEdited = computed(() => this.run()?.draftEdited === true);
  protected readonly posted = computed(() => this.run()?.postedText !== undefined);
  protected readonly postingTried = computed(
    () => !this.commentUrl() && this.run()?.postingAttemptedAt !== undefined,
  );
  protected readonly draftHtml = computed(() => renderMarkdown(this.draft()));
  protected readonly usage = computed(() => this.view().usage ?? this.run()?.usage);
  protected readonly takes = computed(() => this.run()?.takes ?? []);
  protected readonly instructions = computed(() => this.run()?.instructions?.trim());
  protected readonly errorHeadline = computed(() => {
    const error = this.view().error;
    return error ? RUN_ERROR_HEADLINES[error.code] : '';
  });
  protected readonly commentUrl = computed(() => {
    const url = this.postedUrl() ?? this.view().commentUrl ?? this.run()?.commentUrl;
    return url && /^https?:\/\//i.test(url) ? url : undefined;
  });
  /** A completed run's draft can be changed until posting is tried, whether or not it succeeded. */
  protected readonly editable = computed(
    () =>
      this.view().state === 'completed' &&
      !this.commentUrl() &&
      this.run() !== undefined &&
      this.run()?.postingAttemptedAt === undefined,
  );
  protected readonly canEdit = computed(
    () => this.editable() && this.view().text !== '' && this.busy() === null && !this.editing(),
  );
  protected readonly canPost = computed(
    () =>
      this.view().state === 'completed' &&
      !this.commentUrl() &&
      isGitHubIssue(this.issue()) &&
      this.busy() === null &&
      !this.editing(),
  );

  constructor() {
    toObservable(this.workflowId)
      .pipe(
        tap(() => this.reset()),
        switchMap((workflowId) =>
          this.stream.events(workflowId).pipe(
            bufferPerFrame(this.frames),
            catchError((error: unknown) => {
              this.problem.set(
                error instanceof RunStreamError ? error.message : 'The events of this run could not be read.',
              );
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((events) => this.view.update((view) => events.reduce(reduceRunView, view)));
  }

  protected cancel(): void {
    this.act('cancel', this.api.cancel(this.workflowId()), {
      error: (error: unknown) => {
        // 409: the run finished meanwhile; its terminal event is on its way.
        if (error instanceof HttpErrorResponse && error.status === 409) return;
        this.actionError.set(apiErrorMessage(error, 'The run could not be cancelled.'));
      },
    });
  }

  protected post(): void {
    this.act('post', this.api.post(this.workflowId()), {
      next: ({ commentUrl }) => {
        this.postedUrl.set(commentUrl);
        this.snapshot.reload();
      },
      error: (error: unknown) => {
        this.actionError.set(postErrorMessage(error));
        // The attempt is recorded even when GitHub refused it: the draft is no longer editable.
        this.snapshot.reload();
      },
    });
  }

  protected draftSaved(run: RunSnapshot): void {
    this.run.set(run);
    this.editing.set(false);
  }

  /** Another take on the same issue, as it was. */
  protected tryAgain(): void {
    this.act('retry', this.api.retry(this.workflowId()), {
      next: ({ workflowId }) => void this.router.navigate(['/runs', workflowId]),
      error: (error: unknown) =>
        this.actionError.set(apiErrorMessage(error, 'The run could not be started again.')),
    });
  }

  protected async copy(): Promise<void> {
    this.actionError.set(null);
    this.copied.set(false);
    try {
      if (!this.clipboard) throw new Error('No clipboard');
      await this.clipboard.writeText(this.draft());
      this.copied.set(true);
      timer(COPIED_NOTICE_MS)
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe(() => this.copied.set(false));
    } catch {
      this.actionError.set('Your browser did not allow copying. Select the text and copy it instead.');
    }
  }

  private act<T>(
    action: Action,
    request: Observable<T>,
    handlers: { next?: (value: T) => void; error: (error: unknown) => void },
  ): void {
    this.busy.set(action);
    this.actionError.set(null);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (value) => handlers.next?.(value),
      error: (error: unknown) => {
        this.busy.set(null);
        handlers.error(error);
      },
      complete: () => this.busy.set(null),
    });
  }

  private reset(): void {
    this.view.set(initialRunView);
    this.problem.set(null);
    this.actionError.set(null);
    this.busy.set(null);
    this.copied.set(false);
    this.editing.set(false);
    this.postedUrl.set(undefined);
  }
}

function postErrorMessage(error: unknown): string {
  return apiErrorMessage(error, 'The comment could not be posted to GitHub.');
}

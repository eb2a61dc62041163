import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { TimelineEntry } from '@issuecast/workflow-events';

/** The steps of a run and the tool calls it made, in order. */
@Component({
  selector: 'ic-run-timeline',
  imports: [DatePipe],
  templateUrl: './run-timeline.html',
  styleUrl: './run-timeline.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunTimeline {
  readonly entries = input.required<readonly TimelineEntry[]>();
  /** How the run ended, once it has: the last entry. */
  readonly end = input<{ label: string; at: string } | undefined>();
}

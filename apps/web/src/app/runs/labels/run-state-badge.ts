import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { RunState } from '@issuecast/workflow-events';

/** A run's state as a coloured pill; its text is projected (the state's label, or another word for it). */
@Component({
  selector: 'ic-run-state-badge',
  template: '<ng-content />',
  styleUrl: './run-state-badge.css',
  host: { class: 'badge', '[attr.data-state]': 'state()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunStateBadge {
  readonly state = input.required<RunState>();
}

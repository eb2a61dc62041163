import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { RunUsage } from '@issuecast/workflow-events';
import { durationLabel, tokensLabel } from './usage-figures';

/** What a completed run cost: its model, tokens and times. */
@Component({
  selector: 'ic-run-usage',
  template: `<dl class="usage">
    <div>
      <dt>Model</dt>
      <dd>{{ usage().model }}</dd>
    </div>
    <div>
      <dt>Tokens</dt>
      <dd>{{ tokens() }}</dd>
    </div>
    @if (firstToken(); as firstToken) {
      <div>
        <dt>First token after</dt>
        <dd>{{ firstToken }}</dd>
      </div>
    }
    <div>
      <dt>Duration</dt>
      <dd>{{ duration() }}</dd>
    </div>
  </dl>`,
  styleUrl: './run-usage.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunUsageFigures {
  readonly usage = input.required<RunUsage>();

  protected readonly tokens = computed(() => tokensLabel(this.usage()));
  protected readonly duration = computed(() => durationLabel(this.usage().durationMs));
  /** Absent when no token came (the run failed before the model wrote). */
  protected readonly firstToken = computed(() => {
    const ms = this.usage().timeToFirstTokenMs;
    return ms === undefined ? null : durationLabel(ms);
  });
}

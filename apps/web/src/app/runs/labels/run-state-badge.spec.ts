import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { RunState } from '@issuecast/workflow-events';
import { text } from '../../../testing/dom';
import { RunStateBadge } from './run-state-badge';

@Component({
  imports: [RunStateBadge],
  template: `<ic-run-state-badge [state]="state()">{{ state() }}</ic-run-state-badge>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Badged {
  readonly state = signal<RunState>('running');
}

describe(RunStateBadge.name, () => {
  it('shows the words it is given and is coloured by the state it follows', async () => {
    const fixture = TestBed.createComponent(Badged);
    await fixture.whenStable();
    const badge = (fixture.nativeElement as HTMLElement).querySelector('ic-run-state-badge');

    expect(text(badge)).toBe('running');
    expect(badge?.getAttribute('data-state')).toBe('running');

    fixture.componentInstance.state.set('failed');
    await fixture.whenStable();

    expect(text(badge)).toBe('failed');
    expect(badge?.getAttribute('data-state')).toBe('failed');
  });
});

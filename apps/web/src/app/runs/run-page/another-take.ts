import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormField, FormRoot, form, maxLength } from '@angular/forms/signals';
import { Router } from '@angular/router';
import { INSTRUCTIONS_MAX_LENGTH } from '@issuecast/workflows-api';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../api/api-error-message';
import { LabeledField } from '../../forms/labeled-field';
import { RunsApi } from '../runs-api/runs-api';

/** Starts another take on the run's issue, with what to do differently, and opens it. */
@Component({
  selector: 'ic-another-take',
  imports: [FormField, FormRoot, LabeledField],
  template: `<form class="another-take" [formRoot]="form">
    <ic-labeled-field label="What should it do differently?" [hint]="hint">
      <textarea id="take-instructions" rows="3" [formField]="form.instructions"></textarea>
    </ic-labeled-field>
    @if (failure(); as message) {
      <p class="alert alert-error" role="alert">{{ message }}</p>
    }
    <div>
      <button type="submit" class="button button-secondary" [disabled]="form().submitting()">
        Start another take
      </button>
    </div>
  </form>`,
  styles: `
    .another-take {
      display: grid;
      gap: 0.75rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AnotherTake {
  readonly workflowId = input.required<string>();

  private readonly api = inject(RunsApi);
  private readonly router = inject(Router);

  protected readonly hint = `Optional, up to ${INSTRUCTIONS_MAX_LENGTH} characters: “shorter”, “ask for the logs”.`;
  protected readonly failure = signal<string | null>(null);
  private readonly take = signal({ instructions: '' });

  protected readonly form = form(
    this.take,
    (take) => {
      maxLength(take.instructions, INSTRUCTIONS_MAX_LENGTH, {
        message: `Say it in at most ${INSTRUCTIONS_MAX_LENGTH} characters.`,
      });
    },
    {
      submission: {
        action: async () => {
          this.failure.set(null);
          try {
            const instructions = this.take().instructions.trim() || undefined;
            const started = await firstValueFrom(this.api.retry(this.workflowId(), instructions));
            this.take.set({ instructions: '' });
            await this.router.navigate(['/runs', started.workflowId]);
          } catch (error: unknown) {
            this.failure.set(apiErrorMessage(error, 'Another take could not be started. Try again.'));
          }
          return undefined;
        },
        onInvalid: (tree) => tree().errorSummary()[0]?.fieldTree().focusBoundControl(),
      },
    },
  );
}

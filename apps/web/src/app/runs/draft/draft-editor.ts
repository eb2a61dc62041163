import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import { FormField, FormRoot, form, maxLength, validate } from '@angular/forms/signals';
import { DRAFT_MAX_LENGTH, type RunSnapshot } from '@issuecast/workflows-api';
import { firstValueFrom } from 'rxjs';
import { apiErrorMessage } from '../../api/api-error-message';
import { LabeledField } from '../../forms/labeled-field';
import { RunsApi } from '../runs-api/runs-api';
import { renderMarkdown } from './render-markdown';

const NUMBER = new Intl.NumberFormat('en');

type Showing = 'write' | 'preview';
const MODES: readonly { value: Showing; label: string }[] = [
  { value: 'write', label: 'Write' },
  { value: 'preview', label: 'Preview' },
];
const LIMIT = NUMBER.format(DRAFT_MAX_LENGTH);

/**
 * The draft as Markdown in a text area, its rendering beside it on a wide screen (a toggle between the
 * two on a phone); saving keeps it on the run as the comment to post, beside the model's original.
 */
@Component({
  selector: 'ic-draft-editor',
  imports: [FormField, FormRoot, LabeledField],
  templateUrl: './draft-editor.html',
  styleUrl: './draft-editor.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DraftEditor {
  readonly workflowId = input.required<string>();
  /** The text to start from: the saved edit, or the model's comment. */
  readonly draft = input.required<string>();
  /** The model's comment, to go back to. */
  readonly original = input.required<string>();
  /** The run as it stands once the edit is saved. */
  readonly saved = output<RunSnapshot>();
  readonly discarded = output();

  private readonly api = inject(RunsApi);

  protected readonly failure = signal<string | null>(null);
  /** Which of the two a phone shows; a wide screen shows both. */
  protected readonly showing = signal<Showing>('write');
  protected readonly modes = MODES;
  protected readonly edit = linkedSignal(() => ({ draft: this.draft() }));
  protected readonly previewHtml = computed(() => renderMarkdown(this.edit().draft));
  protected readonly count = computed(
    () => `${NUMBER.format(this.edit().draft.length)} of ${LIMIT} characters`,
  );

  protected readonly form = form(
    this.edit,
    (edit) => {
      validate(edit.draft, ({ value }) =>
        value().trim() ? undefined : { kind: 'blank', message: 'The draft cannot be empty.' },
      );
      maxLength(edit.draft, DRAFT_MAX_LENGTH, { message: `The draft is at most ${LIMIT} characters.` });
    },
    {
      submission: {
        action: async () => {
          this.failure.set(null);
          try {
            this.saved.emit(await firstValueFrom(this.api.editDraft(this.workflowId(), this.edit().draft)));
          } catch (error: unknown) {
            this.failure.set(apiErrorMessage(error, 'The draft could not be saved. Try again.'));
          }
          return undefined;
        },
        onInvalid: (tree) => tree().errorSummary()[0]?.fieldTree().focusBoundControl(),
      },
    },
  );

  protected restoreOriginal(): void {
    this.edit.set({ draft: this.original() });
  }
}

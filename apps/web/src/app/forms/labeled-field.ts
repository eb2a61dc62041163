import {
  ChangeDetectionStrategy,
  Component,
  Renderer2,
  afterRenderEffect,
  computed,
  contentChild,
  inject,
  input,
} from '@angular/core';
import { FormField } from '@angular/forms/signals';
import { FieldErrors } from './field-errors';

/**
 * A form control with its label, an optional hint and its first validation message. Project one control bound
 * with `[formField]` and give it an `id`: the label names it, the hint is `<id>-hint`, the message `<id>-error`.
 * Signal forms leave `aria-invalid` and `aria-describedby` to us, so this sets them on the control.
 */
@Component({
  selector: 'ic-labeled-field',
  imports: [FieldErrors],
  template: `<label [for]="id()">{{ label() }}</label>
    <ng-content />
    @if (hint(); as hint) {
      <p [id]="hintId()" class="field-hint">{{ hint }}</p>
    }
    <ic-field-errors [id]="errorId()" [field]="control().state()" />`,
  host: { class: 'field' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LabeledField {
  readonly label = input.required<string>();
  readonly hint = input<string>();

  protected readonly control = contentChild.required(FormField);
  protected readonly id = computed(() => this.control().element.id);
  protected readonly hintId = computed(() => `${this.id()}-hint`);
  protected readonly errorId = computed(() => `${this.id()}-error`);

  constructor() {
    const renderer = inject(Renderer2);
    afterRenderEffect({
      write: () => {
        const { element, state } = this.control();
        const field = state();
        const describedBy = this.hint() ? `${this.hintId()} ${this.errorId()}` : this.errorId();
        renderer.setAttribute(element, 'aria-invalid', String(field.touched() && field.invalid()));
        renderer.setAttribute(element, 'aria-describedby', describedBy);
      },
    });
  }
}

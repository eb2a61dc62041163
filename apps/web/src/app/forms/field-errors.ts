import { ChangeDetectionStrategy, Component, type Signal, computed, input } from '@angular/core';

/** What {@link FieldErrors} reads of a signal-forms field state. */
export interface ShownField {
  readonly touched: Signal<boolean>;
  readonly errors: Signal<readonly { readonly message?: string }[]>;
}

/**
 * The first validation message of a field, once the user has been there (or tried to submit).
 * Give it the `id` the field's `aria-describedby` names.
 */
@Component({
  selector: 'ic-field-errors',
  template: `@if (message(); as message) {
    <p class="field-error">{{ message }}</p>
  }`,
  styleUrl: './field-errors.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FieldErrors {
  readonly field = input.required<ShownField>();

  protected readonly message = computed(() => {
    const field = this.field();
    return field.touched() ? (field.errors().find((error) => error.message)?.message ?? null) : null;
  });
}

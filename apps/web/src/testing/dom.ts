/** Lets pending promises and timers of zero run (a submit handler awaiting a request, say). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The form control labelled `label`, as a user finds it. */
export function field<T extends HTMLElement = HTMLInputElement>(root: HTMLElement, label: string): T {
  const labelElement = [...root.querySelectorAll('label')].find(
    (candidate) => candidate.textContent?.replace(/\s+/g, ' ').trim() === label,
  );
  if (!labelElement) throw new Error(`No field labelled ${label}`);
  const control = labelElement.htmlFor
    ? root.querySelector(`#${labelElement.htmlFor}`)
    : labelElement.querySelector('input, textarea, select');
  if (!control) throw new Error(`The label ${label} names no control`);
  return control as T;
}

/** Types `value` into a text field and leaves it, as a user would. */
export function type(control: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true }));
  control.dispatchEvent(new Event('blur'));
}

/** The button whose text is `name`. */
export function button(root: HTMLElement, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find(
    (candidate) => candidate.textContent?.trim() === name,
  );
  if (!found) throw new Error(`No button named ${name}`);
  return found;
}

/** The button whose text is `name`, or null. */
export function maybeButton(root: HTMLElement, name: string): HTMLButtonElement | null {
  return (
    [...root.querySelectorAll('button')].find((candidate) => candidate.textContent?.trim() === name) ?? null
  );
}

/** Text as a user reads it, whitespace collapsed. */
export function text(element: Element | null | undefined): string {
  return element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

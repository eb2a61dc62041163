import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormField, form, maxLength, required } from '@angular/forms/signals';
import { field, text, type } from '../../testing/dom';
import { LabeledField } from './labeled-field';

@Component({
  imports: [FormField, LabeledField],
  template: `<ic-labeled-field label="Title">
      <input id="title" type="text" [formField]="form.title" />
    </ic-labeled-field>
    <ic-labeled-field label="Body" hint="Markdown, as on GitHub.">
      <textarea id="body" [formField]="form.body"></textarea>
    </ic-labeled-field>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class IssueForm {
  protected readonly form = form(signal({ title: '', body: '' }), (issue) => {
    required(issue.title, { message: 'Enter the title.' });
    maxLength(issue.body, 3, { message: 'The body is at most 3 characters.' });
  });
}

describe(LabeledField.name, () => {
  async function render() {
    const fixture = TestBed.createComponent(IssueForm);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('names the projected control with its label', async () => {
    const { element } = await render();

    expect(field(element, 'Title').id).toBe('title');
    expect(field(element, 'Body').tagName).toBe('TEXTAREA');
  });

  it('marks the control invalid and shows the message only once the user has left it', async () => {
    const { fixture, element } = await render();
    const title = field(element, 'Title');

    expect(title.getAttribute('aria-invalid')).toBe('false');
    expect(text(element.querySelector('#title-error'))).toBe('');

    type(title, '');
    await fixture.whenStable();

    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(text(element.querySelector('#title-error'))).toBe('Enter the title.');
  });

  it('describes the control by its hint and its message', async () => {
    const { fixture, element } = await render();
    const body = field<HTMLTextAreaElement>(element, 'Body');

    type(body, 'too long');
    await fixture.whenStable();

    expect(body.getAttribute('aria-describedby')).toBe('body-hint body-error');
    expect(text(element.querySelector('#body-hint'))).toBe('Markdown, as on GitHub.');
    expect(text(element.querySelector('#body-error'))).toBe('The body is at most 3 characters.');
    expect(field(element, 'Title').getAttribute('aria-describedby')).toBe('title-error');
  });
});

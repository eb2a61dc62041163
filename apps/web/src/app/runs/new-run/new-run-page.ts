import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  FormField,
  FormRoot,
  applyWhen,
  disabled,
  form,
  maxLength,
  min,
  pattern,
  required,
  validate,
} from '@angular/forms/signals';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { StartRunRequest } from '@issuecast/workflows-api';
import { apiErrorMessage } from '../../api/api-error-message';
import { LabeledField } from '../../forms/labeled-field';
import { REPOSITORY_PATTERN } from './repository-pattern';
import { RunsApi } from '../runs-api/runs-api';

interface NewRun {
  source: 'github' | 'pasted';
  repository: string;
  issueNumber: number | null;
  title: string;
  body: string;
  postToGitHub: boolean;
}

function requestOf(run: NewRun): StartRunRequest {
  if (run.source === 'pasted') {
    const body = run.body.trim() ? run.body : undefined;
    return { issue: { title: run.title.trim(), ...(body !== undefined && { body }) } };
  }
  return {
    repository: run.repository.trim(),
    issueNumber: run.issueNumber ?? 0,
    // The API refuses fields it does not know, so the flag goes only when it is asked for.
    ...(run.postToGitHub && { postToGitHub: true as const }),
  };
}

/** Starts a run from a GitHub issue or a pasted one, then opens its page. */
@Component({
  selector: 'ic-new-run-page',
  imports: [FormField, FormRoot, LabeledField],
  templateUrl: './new-run-page.html',
  styleUrl: './new-run-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewRunPage {
  private readonly api = inject(RunsApi);
  private readonly router = inject(Router);

  protected readonly failure = signal<string | null>(null);
  protected readonly run = signal<NewRun>({
    source: 'github',
    repository: '',
    issueNumber: null,
    title: '',
    body: '',
    postToGitHub: false,
  });

  protected readonly form = form(
    this.run,
    (run) => {
      applyWhen(
        run,
        ({ value }) => value().source === 'github',
        (github) => {
          required(github.repository, { message: 'Enter the repository, as owner/name.' });
          pattern(github.repository, REPOSITORY_PATTERN, {
            message: 'Write the repository as owner/name, for example octo-org/octo-repo.',
          });
          required(github.issueNumber, { message: 'Enter the issue number.' });
          min(github.issueNumber, 1, { message: 'The issue number is 1 or more.' });
          validate(github.issueNumber, ({ value }) => {
            const issueNumber = value();
            return issueNumber !== null && !Number.isInteger(issueNumber)
              ? { kind: 'integer', message: 'The issue number is a whole number.' }
              : undefined;
          });
        },
      );
      applyWhen(
        run,
        ({ value }) => value().source === 'pasted',
        (pasted) => {
          required(pasted.title, { message: 'Enter the title of the issue.' });
          maxLength(pasted.title, 256, { message: 'The title is at most 256 characters.' });
          maxLength(pasted.body, 65_536, { message: 'The body is at most 65,536 characters.' });
        },
      );
      disabled(run.postToGitHub, ({ valueOf }) => valueOf(run.source) === 'pasted');
    },
    {
      submission: {
        action: async () => {
          this.failure.set(null);
          try {
            const started = await firstValueFrom(this.api.start(requestOf(this.run())));
            await this.router.navigate(['/runs', started.workflowId]);
          } catch (error: unknown) {
            this.failure.set(apiErrorMessage(error, 'The run could not be started. Try again.'));
          }
          return undefined;
        },
        onInvalid: (tree) => tree().errorSummary()[0]?.fieldTree().focusBoundControl(),
      },
    },
  );
}

import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { isOidcRefusal, OIDC_REFUSALS } from '@issuecast/workflows-api';
import { FormField, FormRoot, form, required } from '@angular/forms/signals';
import { Router } from '@angular/router';
import { catchError, firstValueFrom, of } from 'rxjs';
import { apiErrorMessage } from '../api/api-error-message';
import { LabeledField } from '../forms/labeled-field';
import { retryAfterMs } from '../api/retry-after';
import { safeReturnUrl } from './return-url';
import { type Credentials, Session } from './session';

function signInErrorMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse && error.status === 429) {
    const waitMs = retryAfterMs(error.headers.get('Retry-After'));
    const seconds = waitMs === undefined ? undefined : Math.max(1, Math.ceil(waitMs / 1000));
    return seconds === undefined
      ? 'Too many attempts. Wait a moment, then try again.'
      : `Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  }
  return apiErrorMessage(error, 'Signing in did not work. Try again.');
}

/** The sign-in page's words for why the identity provider's sign-in did not work, if `error` is one. */
function refusalMessage(error: string | undefined): string | null {
  return isOidcRefusal(error) ? `${OIDC_REFUSALS[error]} Try again, or ask your administrator.` : null;
}

/**
 * Signs in with a username and password, or at the identity provider (`Sign in with <name>`), then
 * goes back to where the user was going. After a refused sign-in at the provider, says why.
 */
@Component({
  selector: 'ic-sign-in-page',
  imports: [FormField, FormRoot, LabeledField],
  templateUrl: './sign-in-page.html',
  styleUrl: './sign-in-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInPage {
  /** The `returnUrl` query parameter. */
  readonly returnUrl = input<string>();
  /** The `error` query parameter: why a sign-in at the identity provider was refused. */
  readonly error = input<string>();

  private readonly session = inject(Session);
  private readonly router = inject(Router);

  /** Password sign-in shows until the server says it has no users. */
  protected readonly providers = toSignal(this.session.providers().pipe(catchError(() => of(undefined))));
  protected readonly passwordSignIn = computed(() => this.providers()?.password ?? true);
  protected readonly oidc = computed(() => {
    const oidc = this.providers()?.oidc;
    if (!oidc) return undefined;
    const returnTo = encodeURIComponent(safeReturnUrl(this.returnUrl()));
    return { name: oidc.name, href: `${oidc.loginUrl}?returnTo=${returnTo}` };
  });
  protected readonly refusal = computed(() => refusalMessage(this.error()));
  protected readonly failure = signal<string | null>(null);
  protected readonly credentials = signal<Credentials>({ username: '', password: '' });
  protected readonly form = form(
    this.credentials,
    (credentials) => {
      required(credentials.username, { message: 'Enter your username.' });
      required(credentials.password, { message: 'Enter your password.' });
    },
    {
      submission: {
        action: async () => {
          this.failure.set(null);
          try {
            await firstValueFrom(this.session.signIn(this.credentials()));
            await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
          } catch (error: unknown) {
            this.failure.set(signInErrorMessage(error));
          }
          return undefined;
        },
        onInvalid: (tree) => tree().errorSummary()[0]?.fieldTree().focusBoundControl(),
      },
    },
  );
}

import { ChangeDetectionStrategy, Component, DOCUMENT, DestroyRef, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router, RouterLink, RouterLinkActive } from '@angular/router';
import { Session } from '../auth/session';

/** The app's name, its sections and who is signed in. */
@Component({
  selector: 'ic-app-header',
  imports: [RouterLink, RouterLinkActive],
  templateUrl: './app-header.html',
  styleUrl: './app-header.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AppHeader {
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);
  protected readonly session = inject(Session);

  protected signOut(): void {
    // Whatever the API answers, the user asked to leave: the sign-in page is where they end up,
    // through the identity provider's own sign-out for an SSO session (it sends them back there).
    const leave = () => void this.router.navigateByUrl('/sign-in');
    this.session
      .signOut()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (endSessionUrl) => (endSessionUrl ? this.document.location.assign(endSessionUrl) : leave()),
        error: leave,
      });
  }
}

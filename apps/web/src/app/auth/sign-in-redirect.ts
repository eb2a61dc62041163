import { Injectable, inject } from '@angular/core';
import { Router, type UrlTree } from '@angular/router';
import { Session } from './session';

/** Sends a signed-out user to the sign-in page, remembering where they were going. */
@Injectable({ providedIn: 'root' })
export class SignInRedirect {
  private readonly router = inject(Router);
  private readonly session = inject(Session);

  /** The sign-in page, to come back to `returnUrl` afterwards. */
  urlTree(returnUrl: string): UrlTree {
    const keep = returnUrl && returnUrl !== '/' && !returnUrl.startsWith('/sign-in');
    return this.router.createUrlTree(['/sign-in'], { queryParams: keep ? { returnUrl } : {} });
  }

  /** The session is gone: forget the user and go to sign-in, back to the current page afterwards. */
  go(): void {
    this.session.forget();
    const navigation = this.router.currentNavigation();
    const target = navigation?.finalUrl ?? navigation?.extractedUrl;
    const returnUrl = target ? this.router.serializeUrl(target) : this.router.url;
    if (returnUrl.startsWith('/sign-in')) return;
    void this.router.navigateByUrl(this.urlTree(returnUrl));
  }
}

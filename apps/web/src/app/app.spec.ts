import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { settle } from '../testing/dom';
import { App } from './app';
import { appRoutes } from './app.routes';

describe(App.name, () => {
  async function open(url: string, signedIn: boolean) {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter(appRoutes, withComponentInputBinding()),
      ],
    });
    const fixture = TestBed.createComponent(App);
    const router = TestBed.inject(Router);
    const http = TestBed.inject(HttpTestingController);
    const navigation = router.navigateByUrl(url);
    await settle();
    const me = http.expectOne('/api/auth/me');
    if (signedIn) me.flush({ user: { username: 'demo' }, expiresAt: '2026-11-26T10:00:00.000Z' });
    else me.flush({ statusCode: 401, message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });
    await navigation;
    await fixture.whenStable();
    return { element: fixture.nativeElement as HTMLElement, router };
  }

  it('opens a new run at the root', async () => {
    const { element, router } = await open('/', true);

    expect(router.url).toBe('/runs/new');
    expect(element.querySelector('main ic-new-run-page h1')?.textContent).toBe('New run');
  });

  it('sends a signed-out visitor to sign-in, remembering the page', async () => {
    const { element, router } = await open('/runs?page=2', false);

    expect(router.url).toBe(`/sign-in?returnUrl=${encodeURIComponent('/runs?page=2')}`);
    expect(element.querySelector('main ic-sign-in-page h1')?.textContent).toBe('Sign in');
  });
});

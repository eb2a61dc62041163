import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { button, maybeButton, settle, text } from '../../testing/dom';
import { Session } from '../auth/session';
import { AppHeader } from './app-header';

describe(AppHeader.name, () => {
  async function render(signedIn: boolean) {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([{ path: '**', children: [] }]),
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    if (signedIn) {
      const signingIn = firstValueFrom(
        TestBed.inject(Session).signIn({ username: 'demo', password: 'demo' }),
      );
      http
        .expectOne('/api/auth/login')
        .flush({ user: { username: 'demo' }, expiresAt: '2026-11-26T10:00:00.000Z' });
      await signingIn;
    }
    const fixture = TestBed.createComponent(AppHeader);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement, http, router: TestBed.inject(Router) };
  }

  it('names the app and links to a new run and the runs', async () => {
    const { element } = await render(true);

    expect(text(element.querySelector('.brand'))).toBe('Issuecast');
    const links = [...element.querySelectorAll('nav a')].map((link) => [
      text(link),
      link.getAttribute('href'),
    ]);
    expect(links).toEqual([
      ['New run', '/runs/new'],
      ['Runs', '/runs'],
    ]);
  });

  it('shows who is signed in, and signs them out', async () => {
    const { element, http, router, fixture } = await render(true);
    expect(text(element.querySelector('.user'))).toBe('Signed in as demo');

    button(element, 'Sign out').click();
    const request = http.expectOne('/api/auth/logout');
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    await fixture.whenStable();

    expect(router.url).toBe('/sign-in');
    expect(maybeButton(element, 'Sign out')).toBeNull();
  });

  it('shows no account or sections to a signed-out visitor', async () => {
    const { element } = await render(false);

    expect(element.querySelector('nav')).toBeNull();
    expect(maybeButton(element, 'Sign out')).toBeNull();
  });
});

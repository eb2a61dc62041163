import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { settle } from '../../testing/dom';
import { signedInGuard } from './signed-in-guard';

describe('signedInGuard', () => {
  function setUp() {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'sign-in', children: [] },
          { path: 'runs/:workflowId', canActivate: [signedInGuard], children: [] },
        ]),
      ],
    });
    return { router: TestBed.inject(Router), http: TestBed.inject(HttpTestingController) };
  }

  it('lets a signed-in user through', async () => {
    const { router, http } = setUp();

    const navigation = router.navigateByUrl('/runs/abc?tab=steps');
    await settle();
    http
      .expectOne('/api/auth/me')
      .flush({ user: { username: 'demo' }, expiresAt: '2026-11-26T10:00:00.000Z' });

    expect(await navigation).toBe(true);
    expect(router.url).toBe('/runs/abc?tab=steps');
  });

  it('sends anyone else to sign-in, to come back afterwards', async () => {
    const { router, http } = setUp();

    const navigation = router.navigateByUrl('/runs/abc?tab=steps');
    await settle();
    http
      .expectOne('/api/auth/me')
      .flush({ statusCode: 401, message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });
    await navigation;

    expect(router.url).toBe(`/sign-in?returnUrl=${encodeURIComponent('/runs/abc?tab=steps')}`);
  });
});

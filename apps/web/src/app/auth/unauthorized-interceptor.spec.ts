import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { settle } from '../../testing/dom';
import { handlesUnauthorized } from './handles-unauthorized';
import { unauthorizedInterceptor } from './unauthorized-interceptor';

describe('unauthorizedInterceptor', () => {
  async function setUp() {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([unauthorizedInterceptor])),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'sign-in', children: [] },
          { path: 'runs', children: [] },
        ]),
      ],
    });
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/runs?page=3');
    return { router, http: TestBed.inject(HttpClient), backend: TestBed.inject(HttpTestingController) };
  }

  const unauthorized = { status: 401, statusText: 'Unauthorized' };

  it('sends the user to sign-in after a 401, to come back to the page afterwards', async () => {
    const { router, http, backend } = await setUp();

    const call = firstValueFrom(http.get('/api/workflows')).catch((error: unknown) => error);
    backend.expectOne('/api/workflows').flush({ statusCode: 401, message: 'Unauthorized' }, unauthorized);
    await call;
    await settle();

    expect(router.url).toBe(`/sign-in?returnUrl=${encodeURIComponent('/runs?page=3')}`);
  });

  it('leaves a 401 to a caller that handles it', async () => {
    const { router, http, backend } = await setUp();

    const call = firstValueFrom(http.get('/api/auth/me', { context: handlesUnauthorized() })).catch(
      (error: unknown) => error,
    );
    backend.expectOne('/api/auth/me').flush({ statusCode: 401, message: 'Unauthorized' }, unauthorized);
    await call;
    await settle();

    expect(router.url).toBe('/runs?page=3');
  });

  it('leaves other errors alone', async () => {
    const { router, http, backend } = await setUp();

    const call = firstValueFrom(http.get('/api/workflows')).catch((error: unknown) => error);
    backend
      .expectOne('/api/workflows')
      .flush({ statusCode: 403, message: 'Forbidden' }, { status: 403, statusText: 'Forbidden' });
    await call;
    await settle();

    expect(router.url).toBe('/runs?page=3');
  });
});

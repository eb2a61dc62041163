import { HttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { appConfig } from './app.config';

describe('appConfig', () => {
  beforeEach(() => {
    document.cookie = 'issuecast_csrf=csrf-from-cookie; path=/';
    TestBed.configureTestingModule({ providers: [...appConfig.providers, provideHttpClientTesting()] });
  });

  afterEach(() => {
    document.cookie = 'issuecast_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
  });

  it('echoes the CSRF cookie in X-CSRF-Token on requests that change something', async () => {
    const http = TestBed.inject(HttpClient);
    const backend = TestBed.inject(HttpTestingController);

    const post = firstValueFrom(http.post('/api/workflows/abc/cancel', null));
    const request = backend.expectOne('/api/workflows/abc/cancel');
    expect(request.request.headers.get('X-CSRF-Token')).toBe('csrf-from-cookie');
    request.flush({});
    await post;

    const get = firstValueFrom(http.get('/api/workflows'));
    const read = backend.expectOne('/api/workflows');
    expect(read.request.headers.has('X-CSRF-Token')).toBe(false);
    read.flush({});
    await get;
  });
});

import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { App } from './app';
import { appRoutes } from './app.routes';

describe(App.name, () => {
  async function render(url: string): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter(appRoutes)],
    });
    const fixture = TestBed.createComponent(App);
    await TestBed.inject(Router).navigateByUrl(url);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows an Issuecast header that links back to the home page', async () => {
    const element = await render('/');

    const link = element.querySelector<HTMLAnchorElement>('header a');
    expect(link?.textContent?.trim()).toBe('Issuecast');
    expect(link?.getAttribute('href')).toBe('/');
  });

  it('renders the routed page in a router outlet inside the main region', async () => {
    const element = await render('/');

    const main = element.querySelector('main');
    expect(main?.querySelector('router-outlet')).not.toBeNull();
    expect(main?.querySelector('ic-home')?.textContent).toContain('Issuecast drafts a comment');
  });
});

import { TestBed } from '@angular/core/testing';
import { Home } from './home';

describe(Home.name, () => {
  async function render(): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(Home);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('gives the page a heading', async () => {
    const element = await render();

    expect(element.querySelector('h1')?.textContent?.trim()).toBe('Draft comments on GitHub issues');
  });

  it('says in one sentence what Issuecast does', async () => {
    const element = await render();

    const sentence = element.querySelector('p')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(sentence).toBe(
      'Issuecast drafts a comment on a GitHub issue with a language model and streams the draft to your browser while it is being written.',
    );
  });
});

import { renderMarkdown } from './render-markdown';

function render(markdown: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = renderMarkdown(markdown);
  return container;
}

describe(renderMarkdown.name, () => {
  it('renders headings, lists, emphasis and code blocks', () => {
    const html = render('## Steps\n\n1. Open the app\n2. Click **Save**\n\n```ts\nconst a = 1 < 2;\n```\n');

    expect(html.querySelector('h2')?.textContent).toBe('Steps');
    expect([...html.querySelectorAll('ol > li')].map((item) => item.textContent)).toEqual([
      'Open the app',
      'Click Save',
    ]);
    expect(html.querySelector('strong')?.textContent).toBe('Save');
    expect(html.querySelector('pre > code')?.textContent).toBe('const a = 1 < 2;\n');
  });

  it('opens links in a new tab without referrer or endorsement', () => {
    const link = render('See [the docs](https://example.test/docs).').querySelector('a');

    expect(link?.getAttribute('href')).toBe('https://example.test/docs');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  });

  it('removes javascript: and data: URLs from links', () => {
    const html = render('[click](javascript:alert(1)) and [more](data:text/html,<script>alert(1)</script>)');

    expect(html.innerHTML).not.toMatch(/javascript:|data:/i);
    expect(html.textContent).toContain('click');
  });

  it('shows raw HTML as text, so no script or handler runs', () => {
    const html = render(
      'Hello <script>alert(1)</script> <b onmouseover="alert(2)">bold</b>\n\n<div onclick="alert(3)">block</div>\n',
    );

    expect(html.querySelector('script, b, div')).toBeNull();
    expect(
      [...html.querySelectorAll('*')].some((element) =>
        element.getAttributeNames().some((name) => name.startsWith('on')),
      ),
    ).toBe(false);
    expect(html.textContent).toContain('<script>alert(1)</script>');
  });

  it('shows an image as its alt text and loads nothing', () => {
    const html = render('![tracking pixel](https://evil.test/pixel.png) and <img src=x onerror="alert(1)">');

    expect(html.querySelector('img')).toBeNull();
    expect(html.textContent).toContain('tracking pixel');
    expect(html.innerHTML).not.toContain('https://evil.test/pixel.png');
  });

  it('shows task-list boxes as characters instead of form controls', () => {
    const html = render('- [x] reproduced\n- [ ] fixed\n');

    expect(html.querySelector('input')).toBeNull();
    expect(html.textContent).toContain('☑ reproduced');
    expect(html.textContent).toContain('☐ fixed');
  });
});

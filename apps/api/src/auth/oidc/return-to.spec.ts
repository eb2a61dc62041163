import { safeReturnTo } from './return-to';

describe(safeReturnTo.name, () => {
  it('keeps a path of the app, query included', () => {
    expect(safeReturnTo('/runs/4b6f2f4e?tab=draft')).toBe('/runs/4b6f2f4e?tab=draft');
    expect(safeReturnTo('/')).toBe('/');
  });

  it.each([
    ['another origin', 'https://evil.test/'],
    ['a protocol-relative URL', '//evil.test/x'],
    ['a backslash a browser reads as a slash', '/\\evil.test'],
    ['a tab a browser drops', '/\t/evil.test'],
    ['a newline', '/runs\n'],
    ['a script URL', 'javascript:alert(1)'],
    ['a relative path', 'runs'],
    ['nothing', undefined],
    ['a repeated parameter', ['/runs', '/x']],
  ])('goes home instead of %s', (_what, returnTo) => {
    expect(safeReturnTo(returnTo)).toBe('/');
  });
});

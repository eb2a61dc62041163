import { HOME_URL, safeReturnUrl } from './return-url';

describe(safeReturnUrl.name, () => {
  it('keeps a path of the app, query included', () => {
    expect(safeReturnUrl('/runs/4b6f2f4e?x=1')).toBe('/runs/4b6f2f4e?x=1');
  });

  it('starts a new run when there is nowhere to go back to', () => {
    expect(safeReturnUrl(undefined)).toBe(HOME_URL);
    expect(safeReturnUrl('')).toBe(HOME_URL);
    expect(safeReturnUrl('/sign-in?returnUrl=%2Fruns')).toBe(HOME_URL);
  });

  it('never leaves the app', () => {
    for (const url of ['https://evil.test/', '//evil.test/', '/\\evil.test', 'javascript:alert(1)']) {
      expect(safeReturnUrl(url)).toBe(HOME_URL);
    }
  });
});

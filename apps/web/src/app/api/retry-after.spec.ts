import { retryAfterMs } from './retry-after';

describe(retryAfterMs.name, () => {
  it('reads a number of seconds', () => {
    expect(retryAfterMs('12')).toBe(12_000);
  });

  it('reads an HTTP date as the time left until then', () => {
    const now = Date.parse('Wed, 25 Nov 2026 10:00:00 GMT');
    expect(retryAfterMs('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('gives nothing for a missing or unreadable header', () => {
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

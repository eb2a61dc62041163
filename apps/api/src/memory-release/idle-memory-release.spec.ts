import { MIN_RELEASE_BYTES, shouldRelease } from './idle-memory-release';
import { releasePooledHeapPages } from './v8-page-pool';

describe('shouldRelease', () => {
  it('gives memory back when the server was idle and has kept enough since the last release', () => {
    expect(shouldRelease(0.02, MIN_RELEASE_BYTES)).toBe(true);
  });

  it('leaves a busy server alone, however much it keeps', () => {
    expect(shouldRelease(0.5, 10 * MIN_RELEASE_BYTES)).toBe(false);
  });

  it('does not pause an idle server for a little memory', () => {
    expect(shouldRelease(0, MIN_RELEASE_BYTES - 1)).toBe(false);
  });
});

describe(releasePooledHeapPages.name, () => {
  it('returns the pages of collected garbage to the system', async () => {
    let garbage: { text: string }[] | undefined = Array.from({ length: 300_000 }, (_, i) => ({
      text: `${'x'.repeat(200)}${i}`,
    }));
    const held = process.memoryUsage.rss();
    expect(garbage).toHaveLength(300_000);
    garbage = undefined;
    await releasePooledHeapPages();
    expect(process.memoryUsage.rss()).toBeLessThan(held - MIN_RELEASE_BYTES);
  });
});

import { MIN_RELEASE_BYTES, shouldRelease } from './idle-memory-release';
import { releasePooledHeapPages } from './v8-page-pool';

describe('shouldRelease', () => {
  const idle = { utilization: 0.02, keptSinceRelease: MIN_RELEASE_BYTES, connections: 0 };

  it('gives memory back when nobody is connected, the server was idle and has kept enough since the last release', () => {
    expect(shouldRelease(idle)).toBe(true);
  });

  it('leaves a busy server alone, however much it keeps', () => {
    expect(shouldRelease({ ...idle, utilization: 0.5, keptSinceRelease: 10 * MIN_RELEASE_BYTES })).toBe(
      false,
    );
  });

  it('never pauses a server with a connection open, such as a stream of a few quiet runs', () => {
    expect(shouldRelease({ ...idle, utilization: 0, connections: 1 })).toBe(false);
  });

  it('does not pause an idle server for a little memory', () => {
    expect(shouldRelease({ ...idle, keptSinceRelease: MIN_RELEASE_BYTES - 1 })).toBe(false);
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

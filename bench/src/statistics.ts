/** A sparse latency histogram: [milliseconds, samples] pairs in ascending order. */
export type Histogram = [ms: number, count: number][];

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One histogram of the samples of several. */
export function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const counts = new Map<number, number>();
  for (const entries of histograms) for (const [ms, n] of entries) counts.set(ms, (counts.get(ms) ?? 0) + n);
  return [...counts].sort((a, b) => a[0] - b[0]);
}

/** The value below which `fraction` of the histogram's samples fall. */
export function percentile(histogram: Histogram, fraction: number): number {
  const total = histogram.reduce((sum, [, n]) => sum + n, 0);
  let seen = 0;
  for (const [ms, n] of histogram) {
    seen += n;
    if (seen >= fraction * total) return ms;
  }
  return NaN;
}

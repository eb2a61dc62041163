import { parsePrometheusText, type Sample } from './prometheus-text';
import type { TestApp } from '../test-app';

/** A scraper's read of `/api/metrics` with the app's `METRICS_TOKEN`, as samples. */
export async function scrapeMetrics(api: TestApp, metricsToken: string): Promise<Sample[]> {
  const response = await api.request('/api/metrics', {
    as: 'anonymous',
    headers: { authorization: `Bearer ${metricsToken}` },
  });
  if (response.status !== 200) throw new Error(`The scrape was answered ${response.status}`);
  return parsePrometheusText(await response.text());
}

import { sleep } from '../clock.ts';
import { median } from '../statistics.ts';
import type { Target } from '../targets/target.ts';

/** The median of `count` VmRSS readings `everyMs` apart. */
export async function sampleRss(target: Target, count: number, everyMs: number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    values.push(target.rssBytes());
    await sleep(everyMs);
  }
  return median(values);
}

export const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

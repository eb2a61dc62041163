// Loaded (--import, with --expose-gc) only into the servers of the memory cases: a full garbage
// collection on the bench's request over IPC, answered with process.memoryUsage(), so that resident
// memory is read after one. Nothing in the product answers this; without --expose-gc it only reports.
import { GC_REQUEST } from '../targets/gc-request.ts';

process.on('message', (message) => {
  if (message !== GC_REQUEST) return;
  globalThis.gc?.();
  let usage: NodeJS.MemoryUsage;
  try {
    usage = process.memoryUsage();
  } catch {
    usage = { rss: NaN, heapTotal: NaN, heapUsed: NaN, external: NaN, arrayBuffers: NaN }; // e.g. out of descriptors
  }
  process.send?.({ gcDone: usage });
});

import { Session } from 'node:inspector/promises';

/**
 * Collects the garbage, shrinks V8's heap and has V8 return the pages it keeps pooled. After a GC V8
 * keeps the pages it freed for reuse and gives them back only in a GC that reduces memory (on memory
 * pressure, or from its memory reducer when it sees the process idle, which it does not in an idle Node
 * server). The inspector's `HeapProfiler.collectGarbage` runs such a GC: several full collections in a
 * row, which hold the event loop (tens to a few hundred milliseconds, with the heap's size).
 */
export async function releasePooledHeapPages(): Promise<void> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.collectGarbage');
  } finally {
    session.disconnect();
  }
}

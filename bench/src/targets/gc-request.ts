/** The IPC message that asks a server started with `exposeGc` for a full GC (see preload/gc-on-request.ts). */
export const GC_REQUEST = 'bench:gc';

export interface GcDone {
  gcDone: NodeJS.MemoryUsage;
}

export function isGcDone(message: unknown): message is GcDone {
  return typeof message === 'object' && message !== null && 'gcDone' in message;
}

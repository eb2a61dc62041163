// What /proc says about a process: CPU seconds, resident memory, limits, open descriptors.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU seconds of a process, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
}

/** Resident memory of a process, from VmRSS in /proc/<pid>/status. */
export function rssBytesOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

export function fdLimitOf(pid: number): number {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  return Number(/Max open files\s+(\d+)/.exec(limits)?.[1]);
}

export function openFdsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Where a process's resident memory is, from /proc/<pid>/smaps, in bytes. */
export interface ResidentMemory {
  /** glibc's main malloc arena, grown with brk. */
  mallocHeap: number;
  /**
   * Anonymous mappings of exactly V8's page size (256 KiB): V8's heap pages, each mapped on its own
   * (Node has no pointer compression), those in use and those V8 keeps pooled for reuse after a GC.
   */
  v8Pages: number;
  /** Other anonymous mappings: other threads' malloc arenas, large mallocs, V8's large objects and code. */
  anonymous: number;
  /** Mapped files: the executable, libraries, a database file mapped into memory. */
  files: number;
  /** Of all of them, pages freed with MADV_FREE, still counted until the kernel needs them. */
  lazyFree: number;
}

/** V8's regular heap page, the unit it maps, frees and pools. */
const V8_PAGE_BYTES = 256 * 1024;

export function residentMemoryOf(pid: number): ResidentMemory {
  const resident: ResidentMemory = { mallocHeap: 0, v8Pages: 0, anonymous: 0, files: 0, lazyFree: 0 };
  let kind: 'mallocHeap' | 'v8Pages' | 'anonymous' | 'files' = 'anonymous';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (mapping) {
      const [, start, end, inode, path] = mapping;
      const size = parseInt(end, 16) - parseInt(start, 16);
      if (path === '[heap]') kind = 'mallocHeap';
      else if (inode !== '0') kind = 'files';
      else kind = path === '' && size === V8_PAGE_BYTES ? 'v8Pages' : 'anonymous';
      continue;
    }
    const field = /^(Rss|LazyFree):\s+(\d+) kB/.exec(line);
    if (!field) continue;
    const bytes = Number(field[2]) * 1024;
    if (field[1] === 'Rss') resident[kind] += bytes;
    else resident.lazyFree += bytes;
  }
  return resident;
}

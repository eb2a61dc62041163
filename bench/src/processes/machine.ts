import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';

/** What the results were measured on. */
export interface Machine {
  cpu: string | undefined;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  os: string;
  loadAverageAtStart: number[];
  fdHardLimit: number;
  ephemeralPorts: string;
}

export const loadAverage = (): number[] => loadavg().map((n) => Math.round(n * 100) / 100);

export function describeMachine(): Machine {
  const osRelease = (() => {
    try {
      return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    } catch {
      return undefined;
    }
  })();
  const hardFdLimit = Number(execFileSync('bash', ['-c', 'ulimit -Hn']).toString().trim());
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${osRelease ?? type()} (${type()} ${release()})`,
    loadAverageAtStart: loadAverage(),
    fdHardLimit: hardFdLimit,
    ephemeralPorts: readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().replace(/\s+/, '-'),
  };
}

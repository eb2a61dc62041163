// Child processes of the bench and what /proc says about them: CPU seconds, resident memory, limits.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';

export const LOG_DIR = join(tmpdir(), 'issuecast-bench');
mkdirSync(LOG_DIR, { recursive: true });

/** Every process the bench started, ended with it however it ends. */
const children = new Set();
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/**
 * Starts `command` through bash with the file-descriptor limit raised as far as the kernel lets
 * this user (1,048,576, or the hard limit where that is lower), with an IPC channel, and its output
 * in LOG_DIR/<name>.log, on the CPUs of `cpuList` (as taskset takes them) if given. Resolves once `ready()`
 * resolves: by default, once the process has sent its first IPC message.
 */
export async function spawnProcess(command, args, { env = {}, name, ready, cpuList }) {
  const logFile = join(LOG_DIR, `${name}.log`);
  const log = openSync(logFile, 'w');
  const script = 'ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"';
  const pinned = cpuList ? ['taskset', '-c', cpuList] : [];
  const child = spawn('bash', ['-c', script, 'bash', ...pinned, command, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log, 'ipc'],
  });
  child.logFile = logFile;
  child.exited = once(child, 'exit');
  children.add(child);
  void child.exited.then(() => children.delete(child));
  const [first] = await Promise.race([
    ready ? ready().then((value) => [value]) : once(child, 'message'),
    child.exited.then(([code]) => {
      throw new Error(`${name} exited with ${code} before it was ready; see ${logFile}`);
    }),
  ]);
  child.firstMessage = first;
  child.fdLimit = fdLimitOf(child.pid);
  child.cpuSeconds = () => cpuSecondsOf(child.pid);
  child.rssBytes = () => rssBytesOf(child.pid);
  child.openFds = () => readdirSync(`/proc/${child.pid}/fd`).length;
  child.stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await child.exited;
    clearTimeout(timer);
  };
  return child;
}

/** User + system CPU seconds of a process, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
}

/** Resident memory of a process, from VmRSS in /proc/<pid>/status. */
export function rssBytesOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

function fdLimitOf(pid) {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  return Number(/Max open files\s+(\d+)/.exec(limits)?.[1]);
}

/** What the results were measured on. */
export function describeMachine() {
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
    loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
    fdHardLimit: hardFdLimit,
    ephemeralPorts: readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().replace(/\s+/, '-'),
  };
}

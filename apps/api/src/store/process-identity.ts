import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process as the holder of run leases and the writer of their events: its host and pid for
 * the logs, and a random part, so that a restarted process with the pid of a dead one is another.
 */
export class ProcessIdentity {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

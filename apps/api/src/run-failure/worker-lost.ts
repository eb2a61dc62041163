import { RunFailure } from './run-failure';

/**
 * How a run ends whose worker stopped holding its lease (killed, out of memory, its machine gone,
 * or cut off from the store for longer than the lease): another process ends it with this error,
 * and the worker, should it still be alive, stops it without writing more.
 */
export function workerLost(): RunFailure {
  return new RunFailure(
    'worker_lost',
    'The worker drafting the comment stopped answering, so the run was ended; start it again.',
    true,
  );
}

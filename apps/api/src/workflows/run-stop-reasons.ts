import { RunFailure } from '../run-failure/run-failure';

/** The abort reason of a run its user cancelled. */
export function cancelledByUser(): RunFailure {
  return new RunFailure('cancelled', 'The run was cancelled.', false);
}

/** The abort reason of a run cut short by the server shutting down. */
export function interruptedByShutdown(): RunFailure {
  return new RunFailure(
    'interrupted',
    'The server restarted while the comment was being drafted; start it again.',
    true,
  );
}

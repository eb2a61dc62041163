/**
 * Whom a claim of a run's lease may take it from: `nobody` (a run no worker has taken yet: the one
 * executing it claims it), `expired` (a lease another process let lapse: its worker is gone, a
 * sweeper ends the run), `anyone` (at the start of a one-process deployment, every lease is stale).
 */
export type LeaseClaim = 'nobody' | 'expired' | 'anyone';

/**
 * The store refused events of runs whose lease the writer no longer holds: another process ended
 * them. The writer stops those runs and writes nothing more of them.
 */
export class LeaseLost extends Error {
  constructor(readonly workflowIds: readonly string[]) {
    super(`The lease of ${workflowIds.join(', ')} is held by another process`);
    this.name = LeaseLost.name;
  }
}

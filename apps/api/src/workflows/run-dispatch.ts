import type { WorkflowRun } from './workflow-run';

/**
 * Hands a stored run to whoever executes it: this process (one process), or the run queue (the
 * shared mode), where a worker takes it. Resolves once the run is on its way, not when it ends.
 */
export abstract class RunDispatch {
  abstract dispatch(run: WorkflowRun): Promise<void>;
}

import { Injectable, Optional } from '@nestjs/common';
import { isTerminalEvent } from '@issuecast/workflow-events';
import { setTimeout as pause } from 'node:timers/promises';
import { DeploymentConfig } from '../config/app-config';
import { RetryLater } from '../errors/retry-later';
import { WorkflowEventLog } from '../event-log/workflow-event-log';
import { ProcessIdentity } from '../store/process-identity';
import { RunStore } from '../store/run-store';
import { CancelRelay } from './cancel-relay';
import { RunEnder } from './run-ender';
import { RunExecutor } from './run-executor';
import { cancelledByUser } from './run-stop-reasons';

/** How long a cancel waits for the run's end from the process executing it, wherever it is. */
const CANCEL_WAIT_MS = 10_000;
const CANCEL_POLL_MS = 100;
/** Seconds a cancel that saw no end suggests waiting before it is tried again. */
const CANCEL_RETRY_AFTER_SECONDS = 2;

/**
 * Cancels a run wherever it executes: one this process executes, here; one no worker has taken
 * yet, by claiming and ending it here; any other (the shared mode) through the relay to the
 * process that holds it, waiting for its end in the store (503 if none comes within 10 s).
 */
@Injectable()
export class RunCancellation {
  constructor(
    private readonly executor: RunExecutor,
    private readonly store: RunStore,
    private readonly log: WorkflowEventLog,
    private readonly ender: RunEnder,
    private readonly identity: ProcessIdentity,
    private readonly deployment: DeploymentConfig,
    @Optional() private readonly relay?: CancelRelay,
  ) {}

  /** Cancels the run wherever it is; answers false when it had ended already. */
  async cancel(workflowId: string): Promise<boolean> {
    if (await this.executor.cancel(workflowId)) return true;
    if (await this.store.claimLease(workflowId, this.identity.id, this.deployment.runLeaseMs, 'nobody')) {
      return this.ender.end(workflowId, cancelledByUser());
    }
    if (!this.relay) return false;
    if (await this.hasEnded(workflowId)) return false;
    try {
      await this.relay.publish(workflowId);
    } catch {
      throw new RetryLater(
        'The run could not be reached to cancel it; try again in a moment',
        CANCEL_RETRY_AFTER_SECONDS,
      );
    }
    for (const deadline = Date.now() + CANCEL_WAIT_MS; Date.now() < deadline;) {
      await pause(CANCEL_POLL_MS);
      if (await this.hasEnded(workflowId)) return true;
    }
    throw new RetryLater(
      `Workflow ${workflowId} did not stop within ${CANCEL_WAIT_MS / 1_000} s; try again in a moment`,
      CANCEL_RETRY_AFTER_SECONDS,
    );
  }

  private async hasEnded(workflowId: string): Promise<boolean> {
    const last = await this.log.last(workflowId);
    return last !== undefined && isTerminalEvent(last.event);
  }
}

import { Injectable, type OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import { isFinished, reduceRunView, type WorkflowEvent } from '@issuecast/workflow-events';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DeploymentConfig } from '../config/app-config';
import { WorkflowEventLog } from '../event-log/workflow-event-log';
import { workerLost } from '../run-failure/worker-lost';
import { ProcessIdentity } from '../store/process-identity';
import { LeaseLost } from '../store/run-lease';
import type { RunChanges } from '../store/run-record';
import { RunStore } from '../store/run-store';
import { CommentOnIssueWorkflow } from './comment-on-issue.workflow';
import { outcomeOf } from './run-outcome';
import { cancelledByUser, interruptedByShutdown } from './run-stop-reasons';
import type { WorkflowRun } from './workflow-run';

/** How long shutdown waits for interrupted runs to emit their terminal event. */
const SHUTDOWN_GRACE_MS = 5_000;

/** A run this process executes, until it has finished and its outcome is stored. */
interface ActiveRun {
  run: WorkflowRun;
  done: Promise<void>;
  /** The run's changes to its stored record, one after the other. */
  saved: Promise<void>;
}

/**
 * Executes runs: claims a run's lease (so that no other process executes it, should it be handed
 * out twice), keeps renewing it, writes the run's events, and stores its outcome. Whatever
 * dispatches a run (this process, or the queue) ends here.
 */
@Injectable()
export class RunExecutor implements OnModuleDestroy {
  private readonly active = new Map<string, ActiveRun>();
  private stopping = false;

  constructor(
    private readonly workflow: CommentOnIssueWorkflow,
    private readonly log: WorkflowEventLog,
    private readonly store: RunStore,
    private readonly identity: ProcessIdentity,
    private readonly deployment: DeploymentConfig,
    @InjectPinoLogger(RunExecutor.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Executes a stored run nobody has taken, to its end and its stored outcome; a run another
   * process has taken (or that has ended) is left alone. Refused once this process is stopping.
   */
  async execute(run: WorkflowRun): Promise<void> {
    if (this.stopping)
      throw new ServiceUnavailableException('This process is stopping; it takes no new runs');
    if (this.active.has(run.id)) return this.active.get(run.id)?.done;
    // Known before the claim's first `await`, so that a cancel meanwhile reaches it.
    const active: ActiveRun = { run, done: Promise.resolve(), saved: Promise.resolve() };
    this.active.set(run.id, active);
    active.done = this.claimAndRun(active);
    return active.done;
  }

  /** The run this process executes, while it does. */
  running(workflowId: string): WorkflowRun | undefined {
    return this.active.get(workflowId)?.run;
  }

  /** Cancels a run this process executes; answers false for any other run, or one that has ended. */
  async cancel(workflowId: string): Promise<boolean> {
    const active = this.active.get(workflowId);
    if (!active || isFinished(active.run.view)) return false;
    active.run.controller.abort(cancelledByUser());
    await active.done;
    return true;
  }

  /** Runs still going when the process stops end with an `interrupted` error, so clients learn of it. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    for (const { run } of this.active.values()) run.controller.abort(interruptedByShutdown());
    const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([Promise.allSettled([...this.active.values()].map(({ done }) => done)), grace]);
  }

  private async claimAndRun(active: ActiveRun): Promise<void> {
    const { run } = active;
    try {
      if (await this.store.claimLease(run.id, this.identity.id, this.deployment.runLeaseMs, 'nobody')) {
        await this.runClaimed(active);
      } else {
        this.logger.info({ workflowId: run.id }, 'run taken by another process already, or ended');
      }
    } finally {
      this.active.delete(run.id);
    }
  }

  private async runClaimed(active: ActiveRun): Promise<void> {
    const { run } = active;
    const renewal = setInterval(() => void this.renew(run), this.deployment.runLeaseMs / 4);
    this.log.openForWriting(run.id, 0, run.controller);
    const stopFollowing = this.log.subscribe(run.id, ({ event }) => this.follow(active, event));
    try {
      await this.workflow
        .run(run)
        .catch((error: unknown) => this.logger.error({ err: error, workflowId: run.id }, 'run crashed'));
      await this.finish(active);
    } finally {
      clearInterval(renewal);
      stopFollowing();
    }
  }

  /** A lease another process took over (this one was cut off from the store too long) stops the run. */
  private async renew(run: WorkflowRun): Promise<void> {
    try {
      const held = await this.store.renewLease(run.id, this.identity.id, this.deployment.runLeaseMs);
      if (!held && !isFinished(run.view)) run.controller.abort(workerLost());
    } catch (error) {
      this.logger.warn({ err: error, workflowId: run.id }, 'renewing the run’s lease failed');
    }
  }

  /** Keeps the run's view up to date, and its stored state for the runs list. */
  private follow(active: ActiveRun, event: WorkflowEvent): void {
    const { run } = active;
    const before = run.view.state;
    run.view = reduceRunView(run.view, event);
    if (run.view.state !== before && !isFinished(run.view))
      this.save(active, { state: run.view.state, title: run.title });
  }

  /** Stores the outcome once the run's last event is stored; until then snapshots read the run here. */
  private async finish(active: ActiveRun): Promise<void> {
    const { run } = active;
    try {
      await this.log.closeForWriting(run.id);
      this.save(active, {
        ...outcomeOf(run.view),
        title: run.title,
        ...(run.draft !== undefined && { draft: run.draft }),
      });
      await active.saved;
    } catch (error) {
      if (error instanceof LeaseLost) {
        this.logger.warn({ workflowId: run.id }, 'run ended by another process, which took over its lease');
        return;
      }
      // The run stays unfinished in the store: the sweep or the next start ends it.
      this.logger.error({ err: error, workflowId: run.id }, "storing the run's events failed");
    }
  }

  private save(active: ActiveRun, changes: RunChanges): void {
    const workflowId = active.run.id;
    active.saved = active.saved
      .then(() => this.store.updateRun(workflowId, changes, this.identity.id))
      .catch((error: unknown) => this.logger.error({ err: error, workflowId }, 'storing the run failed'));
  }
}

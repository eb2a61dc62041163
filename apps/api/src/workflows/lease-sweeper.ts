import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DeploymentConfig } from '../config/app-config';
import { workerLost } from '../run-failure/worker-lost';
import { ProcessIdentity } from '../store/process-identity';
import { RunStore } from '../store/run-store';
import { RunEnder } from './run-ender';

/**
 * The shared mode, in every process (API instances too, so that it holds with no worker left):
 * every half lease, the runs whose lease lapsed (their worker died) end with one `worker_lost`
 * error. Each is claimed first with a conditional update, so that of several sweepers one ends it.
 */
@Injectable()
export class LeaseSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly store: RunStore,
    private readonly ender: RunEnder,
    private readonly identity: ProcessIdentity,
    private readonly deployment: DeploymentConfig,
    @InjectPinoLogger(LeaseSweeper.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.deployment.runLeaseMs / 2);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  private tick(): void {
    // A sweep slower than the interval is not doubled.
    this.sweeping ??= this.sweep()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'sweeping lapsed leases failed'))
      .finally(() => (this.sweeping = undefined));
  }

  private async sweep(): Promise<void> {
    const { runLeaseMs } = this.deployment;
    for (const workflowId of await this.store.expiredLeases(this.identity.id)) {
      if (!(await this.store.claimLease(workflowId, this.identity.id, runLeaseMs, 'expired'))) continue;
      if (await this.ender.end(workflowId, workerLost())) {
        this.logger.warn({ workflowId }, 'run whose worker stopped renewing its lease ended as worker_lost');
      }
    }
  }
}

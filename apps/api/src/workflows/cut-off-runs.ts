import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DeploymentConfig } from '../config/app-config';
import { ProcessIdentity } from '../store/process-identity';
import { RunStore } from '../store/run-store';
import { RunEnder } from './run-ender';
import { interruptedByShutdown } from './run-stop-reasons';

/**
 * At start, before the server takes requests, in a deployment of one process: the runs a crash or
 * a kill left unfinished end with one `interrupted` error after their last stored event. Their
 * leases are the dead process's, so this one takes them whatever they say. (The shared mode has
 * live instances whose runs these could be: there `LeaseSweeper` ends only runs whose lease lapsed.)
 */
@Injectable()
export class CutOffRuns implements OnApplicationBootstrap {
  constructor(
    private readonly store: RunStore,
    private readonly ender: RunEnder,
    private readonly identity: ProcessIdentity,
    private readonly deployment: DeploymentConfig,
    @InjectPinoLogger(CutOffRuns.name) private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const { id } of await this.store.unfinishedRuns()) {
      await this.store.claimLease(id, this.identity.id, this.deployment.runLeaseMs, 'anyone');
      if (await this.ender.end(id, interruptedByShutdown())) {
        this.logger.warn({ workflowId: id }, 'run cut off by the last stop ended as interrupted');
      }
    }
  }
}

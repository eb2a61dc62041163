import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { DeploymentConfig } from '../config/app-config';
import { GitHubModule } from '../github/github.module';
import { LlmModule } from '../llm/llm.module';
import { EventLogModule } from '../event-log/event-log.module';
import { CancelRelay } from './cancel-relay';
import { CommentOnIssueWorkflow } from './comment-on-issue.workflow';
import { CommentPoster } from './comment-poster.service';
import { CutOffRuns } from './cut-off-runs';
import { InProcessDispatch } from './in-process-dispatch';
import { LeaseSweeper } from './lease-sweeper';
import { QueueDispatch } from './queue-dispatch';
import { RunCancellation } from './run-cancellation';
import { RunDispatch } from './run-dispatch';
import { RunEnder } from './run-ender';
import { RunExecutor } from './run-executor';
import { RunQueue } from './run-queue';
import { RunQueueWorker } from './run-queue-worker';
import { RunRetention } from './run-retention';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsService } from './workflows.service';

/**
 * Runs: the routes, and their execution. One process executes the runs it starts and ends those a
 * crash cut off at start; in the shared mode runs go through the queue to the workers, cancels
 * through the relay, and every process sweeps the runs whose worker died.
 */
@Module({})
export class WorkflowsModule {
  static forRoot({ redis, role }: DeploymentConfig): DynamicModule {
    const shared: Provider[] = [
      RunQueue,
      { provide: RunDispatch, useClass: QueueDispatch },
      CancelRelay,
      LeaseSweeper,
      ...(role === 'api' ? [] : [RunQueueWorker]),
    ];
    const oneProcess: Provider[] = [{ provide: RunDispatch, useClass: InProcessDispatch }, CutOffRuns];
    return {
      module: WorkflowsModule,
      imports: [EventLogModule, LlmModule, GitHubModule],
      controllers: [WorkflowsController],
      providers: [
        CommentOnIssueWorkflow,
        CommentPoster,
        WorkflowsService,
        RunExecutor,
        RunEnder,
        RunCancellation,
        RunRetention,
        ...(redis ? shared : oneProcess),
      ],
    };
  }
}

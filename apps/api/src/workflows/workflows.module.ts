import { Module } from '@nestjs/common';
import { GitHubModule } from '../github/github.module';
import { LlmModule } from '../llm/llm.module';
import { EventLogModule } from '../event-log/event-log.module';
import { CommentOnIssueWorkflow } from './comment-on-issue.workflow';
import { CommentPoster } from './comment-poster.service';
import { CutOffRuns } from './cut-off-runs';
import { RunRetention } from './run-retention';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsService } from './workflows.service';

@Module({
  imports: [EventLogModule, LlmModule, GitHubModule],
  controllers: [WorkflowsController],
  providers: [CommentOnIssueWorkflow, CommentPoster, WorkflowsService, CutOffRuns, RunRetention],
})
export class WorkflowsModule {}

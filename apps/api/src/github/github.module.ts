import { Module } from '@nestjs/common';
import { GitHubService } from './github.service';

/** Access to GitHub's REST API, configured by `GITHUB_TOKEN` and `GITHUB_API_URL`. */
@Module({
  providers: [GitHubService],
  exports: [GitHubService],
})
export class GitHubModule {}

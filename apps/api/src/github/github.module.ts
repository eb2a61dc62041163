import { Module } from '@nestjs/common';
import { GitHubClient } from './github-client';
import { GitHubContents } from './github-contents';
import { GitHubIssues } from './github-issues';

/** Access to GitHub's REST API, configured by `GITHUB_TOKEN` and `GITHUB_API_URL`: one client, a class per resource. */
@Module({
  providers: [GitHubClient, GitHubIssues, GitHubContents],
  exports: [GitHubIssues, GitHubContents],
})
export class GitHubModule {}

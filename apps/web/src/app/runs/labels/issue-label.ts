import type { IssueRef } from '@issuecast/workflows-api';

/** Whether the run is about an issue on GitHub (rather than a pasted one). */
export function isGitHubIssue(
  issue: IssueRef | undefined,
): issue is IssueRef & { repository: string; number: number } {
  return issue?.repository !== undefined && issue.number !== undefined;
}

/** How an issue is referred to: `owner/name#12` for a GitHub issue, else its title. */
export function issueLabel(issue: IssueRef): string {
  if (isGitHubIssue(issue)) return `${issue.repository}#${issue.number}`;
  return issue.title?.trim() || 'Pasted issue';
}

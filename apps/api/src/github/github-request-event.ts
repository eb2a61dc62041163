import type { Octokit } from '@octokit/rest';

/** Published on the event bus after each HTTP request to GitHub, every retry included. */
export const GITHUB_REQUEST = 'github.request';

export interface GitHubRequestEvent {
  /** GitHub's status code; absent when no answer came (the network, a timeout, an abort). */
  status?: number;
}

type OctokitOptions = NonNullable<ConstructorParameters<typeof Octokit>[0]>;

/** The Octokit option that `reportEachRequest` reads: who hears of each request. */
export interface RequestReportingOptions {
  onRequest?: (event: GitHubRequestEvent) => void;
}

/**
 * An Octokit plugin that reports the outcome of every HTTP request. Listed before the retry and
 * throttling plugins, its hook sits inside theirs, so each attempt is reported, not only the last.
 */
export function reportEachRequest(
  octokit: Pick<Octokit, 'hook'>,
  { onRequest }: OctokitOptions & RequestReportingOptions,
): void {
  if (!onRequest) return;
  octokit.hook.wrap('request', async (request, options) => {
    try {
      const response = await request(options);
      onRequest({ status: response.status });
      return response;
    } catch (error) {
      onRequest({ status: (error as { response?: { status?: number } }).response?.status });
      throw error;
    }
  });
}

import { GitHubFailure } from './github-failure';

/** A GitHub account name: letters, digits and inner hyphens, at most 39 characters. */
const OWNER_PATTERN = /^[\dA-Z][\dA-Z-]{0,38}$/i;
/** A repository name, except `.`, `..` and any other name of dots only: those are path segments, not names. */
const NAME_PATTERN = /^(?!\.+$)[\w.-]{1,100}$/;

/** `owner/name`, checked as the two path segments it becomes in every GitHub URL. */
export const REPOSITORY_PATTERN = /^[\dA-Z][\dA-Z-]{0,38}\/(?!\.+$)[\w.-]{1,100}$/i;

/**
 * The owner and name of `owner/name` when both are safe to put in a URL path, else undefined. A `..` would be
 * resolved by the URL (`/repos/owner/../issues/1` is `/repos/issues/1`), whatever the encoding.
 */
function repositorySegments(repository: string): { owner: string; repo: string } | undefined {
  const [owner = '', repo = '', ...rest] = repository.split('/');
  if (rest.length > 0 || !OWNER_PATTERN.test(owner) || !NAME_PATTERN.test(repo)) return undefined;
  return { owner, repo };
}

/** `owner` and `repo` of `owner/name` (and a positive issue number); a malformed one is refused without asking GitHub. */
export function ownerAndRepo(repository: string, issueNumber?: number): { owner: string; repo: string } {
  const segments = repositorySegments(repository);
  const badNumber = issueNumber !== undefined && (!Number.isSafeInteger(issueNumber) || issueNumber < 1);
  if (!segments || badNumber) {
    const ref = issueNumber === undefined ? repository : `${repository}#${issueNumber}`;
    throw new GitHubFailure(
      `"${ref}" is not ${issueNumber === undefined ? 'a repository in the form owner/name' : 'an issue in the form owner/name#number'}.`,
      { retryable: false, status: 422 },
    );
  }
  return segments;
}

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
export function repositorySegments(repository: string): { owner: string; repo: string } | undefined {
  const [owner = '', repo = '', ...rest] = repository.split('/');
  if (rest.length > 0 || !OWNER_PATTERN.test(owner) || !NAME_PATTERN.test(repo)) return undefined;
  return { owner, repo };
}

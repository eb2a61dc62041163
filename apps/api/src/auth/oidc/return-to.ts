/** Where a sign-in goes when it was given nowhere (or nowhere in the app) to return to. */
const APP_HOME = '/';

/**
 * `returnTo` when it is a path of this app: one `/`, then no `/` or `\` (which a browser would read as
 * another host), and no control character or space (a browser drops tabs and newlines, so `/\t/host`
 * would become `//host`); else `/`.
 */
export function safeReturnTo(returnTo: unknown): string {
  return typeof returnTo === 'string' &&
    returnTo.length <= 2_000 &&
    /^\/(?![/\\])[^\\\s\p{Cc}]*$/u.test(returnTo)
    ? returnTo
    : APP_HOME;
}

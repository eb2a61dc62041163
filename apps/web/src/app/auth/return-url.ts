/** Where to go after signing in when nothing better is known. */
export const HOME_URL = '/runs/new';

/**
 * The `returnUrl` to follow after signing in, if it is a path of this app; anything else
 * (another origin, `//host`, a `javascript:` URL) falls back to {@link HOME_URL}.
 */
export function safeReturnUrl(returnUrl: string | null | undefined): string {
  if (!returnUrl || !returnUrl.startsWith('/') || returnUrl.startsWith('//') || returnUrl.startsWith('/\\')) {
    return HOME_URL;
  }
  return returnUrl.startsWith('/sign-in') ? HOME_URL : returnUrl;
}

import type { OidcRefusal } from '@issuecast/workflows-api';

/** An OpenID Connect sign-in that must not create a session; `reason` is what the sign-in page says. */
export class OidcRefused extends Error {
  override readonly name = 'OidcRefused';

  constructor(
    readonly reason: OidcRefusal,
    /** What the log says about it: never a token or a code. */
    readonly detail: string,
    /** The app's path the user was going to, when the transaction was read. */
    readonly returnTo?: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

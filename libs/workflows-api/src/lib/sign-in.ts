/** What `GET /api/auth/providers` answers: the ways to sign in this server offers. */
export interface SignInProviders {
  /** Whether `POST /api/auth/login` has users (`AUTH_USERS`, or the demo user). */
  password: boolean;
  /** OpenID Connect sign-in, when configured: the button reads `Sign in with <name>`. */
  oidc?: { name: string; loginUrl: string };
}

/** Where the web app starts OpenID Connect sign-in; `returnTo` is the app's path to come back to. */
export const OIDC_LOGIN_PATH = '/api/auth/oidc/login';

/**
 * Why an OpenID Connect sign-in was refused: the `error` query parameter of `/sign-in` the
 * callback redirects to. No session was created for any of them.
 */
export const OIDC_REFUSALS = {
  /** The user declined, or the provider refused them (`error=access_denied`). */
  oidc_denied: 'The identity provider did not sign you in.',
  /** The provider answered the sign-in with another error. */
  oidc_provider_error: 'The identity provider reported an error.',
  /** No sign-in was under way in this browser: the link was used already, or is over 10 minutes old. */
  oidc_expired: 'This sign-in has expired or was already used.',
  /** The callback did not belong to the sign-in this browser started (state or transaction tampered). */
  oidc_state: 'This sign-in did not come from this browser.',
  /** The ID token was not valid for this server: issuer, audience, nonce, signature or expiry. */
  oidc_token: 'The identity provider’s answer could not be trusted.',
  /** The user is in none of `OIDC_ALLOWED_GROUPS`. */
  oidc_groups: 'Your account is not in a group allowed to use Issuecast.',
  /** The ID token has no claim to name the user by. */
  oidc_username: 'The identity provider did not say who you are.',
  /** The provider could not be reached to finish the sign-in. */
  oidc_unavailable: 'The identity provider could not be reached.',
} as const;

export type OidcRefusal = keyof typeof OIDC_REFUSALS;

/** Whether `code` is one of {@link OIDC_REFUSALS}. */
export function isOidcRefusal(code: unknown): code is OidcRefusal {
  return typeof code === 'string' && Object.hasOwn(OIDC_REFUSALS, code);
}

/** What `POST /api/auth/logout` answers for a session signed in at a provider that offers sign-out there. */
export interface SignedOut {
  /** The provider's end-session URL: the browser goes there to end the provider's session too. */
  endSessionUrl: string;
}

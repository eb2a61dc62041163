import type { Environment } from './environment';

/** Shorter values would be redacted where they merely occur by chance. */
const MIN_SECRET_LENGTH = 8;

/**
 * A run of token characters long enough to be a credential (API keys, tokens, generated secrets are). Linear:
 * one character class, no alternation; whether it mixes letters and digits is checked after the match.
 */
const CREDENTIAL_SHAPED = /[\w+/-]{24,}/g;
const HAS_LETTER = /[a-z]/i;
const HAS_DIGIT = /\d/;

const REDACTED = '[redacted]';

/** The configured secrets that text from outside (issues, repository files) must never carry to the model. */
export function secretValuesOf(env: Environment): string[] {
  return [
    env.GITHUB_TOKEN,
    env.OPENAI_API_KEY,
    env.AUTH_JWT_SECRET,
    env.METRICS_TOKEN,
    env.OIDC_CLIENT_SECRET,
    env.DATABASE_URL && passwordOf(env.DATABASE_URL),
    env.REDIS_URL && passwordOf(env.REDIS_URL),
  ].filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH);
}

/** The password of a connection URL, as the server receives it (decoded). */
function passwordOf(url: string): string | undefined {
  return URL.canParse(url) ? decodeURIComponent(new URL(url).password) || undefined : undefined;
}

/**
 * `text` with every configured secret, and everything shaped like a credential, replaced by `[redacted]`.
 * Redacting only the exact secrets would answer whoever pastes a guess whether it is one (the draft would show
 * `[redacted]` only then); a wrong guess of the same shape is redacted alike, with whatever touches it. The
 * shape goes first so that the answer never depends on the secret; the exact secrets after it catch one that is
 * not credential-shaped (a weak one), which is then still kept from the model.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text.replace(CREDENTIAL_SHAPED, (run) =>
    HAS_LETTER.test(run) && HAS_DIGIT.test(run) ? REDACTED : run,
  );
  for (const secret of secrets) redacted = redacted.replaceAll(secret, REDACTED);
  return redacted;
}

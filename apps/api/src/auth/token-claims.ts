/** The claims of a token this server issued: whose, which sign-in, when issued and until when (seconds). */
export interface TrustedClaims {
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  /** `oidc` for a sign-in at the OpenID Provider. */
  idp?: 'oidc';
}

/** Clocks of several instances may differ a little; a token is never issued further ahead than this. */
const CLOCK_SKEW_SECONDS = 60;
const MAX_ID_LENGTH = 128;

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

/**
 * The claims when they are what the signer writes (`sub`, `jti`, whole-second `iat` and `exp`, a lifetime no
 * longer than `ttlSeconds`), else undefined. A token signed with the right secret but odd claims (no `exp`,
 * an `exp` of 1e300) would otherwise live forever or break whatever reads its expiry.
 */
export function trustedClaims(
  payload: unknown,
  ttlSeconds: number,
  nowMs: number,
): TrustedClaims | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { sub, jti, iat, exp, idp } = payload as Record<string, unknown>;
  if (!isId(sub) || !isId(jti) || !Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) return undefined;
  if (idp !== undefined && idp !== 'oidc') return undefined;
  const issuedAt = iat as number;
  const expiresAt = exp as number;
  const lifetime = expiresAt - issuedAt;
  if (lifetime <= 0 || lifetime > ttlSeconds || issuedAt > nowMs / 1000 + CLOCK_SKEW_SECONDS)
    return undefined;
  return { sub, jti, iat: issuedAt, exp: expiresAt, ...(idp ? { idp } : {}) };
}

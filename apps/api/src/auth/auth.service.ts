import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { JwtService } from '@nestjs/jwt';
import { createHash, createHmac, hkdfSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AuthConfig, DEMO_USERS, OidcConfig } from '../config/app-config';
import { RunStore } from '../store/run-store';
import type { IdentityProvider, SignedInUser } from './signed-in-user';

/** Published on the bus when a sign-in is revoked, with its `sessionId`: its open streams close. */
export const SESSION_SIGNED_OUT = 'session.signed_out';

/** What a token says: whose it is and which sign-in it is (`jti`). `exp` and `iat` are added by the signer. */
interface TokenPayload {
  sub: string;
  jti: string;
  /** Present on a sign-in at the OpenID Provider: its user is not one of `AUTH_USERS`. */
  idp?: 'oidc';
}

/** A fresh sign-in: the token and the CSRF token that goes with its cookie. */
export interface Session {
  username: string;
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/** Checks passwords against `AUTH_USERS`, issues signed, expiring tokens, and revokes them on sign-out. */
@Injectable()
export class AuthService implements OnModuleInit {
  private readonly logger = new Logger(AuthService.name);
  /** SHA-256 of each password, so every comparison takes the same time whatever the lengths. */
  private readonly passwordDigests: ReadonlyMap<string, Buffer>;
  /** Derived from the signing secret, so a CSRF token proves nothing about the secret itself. */
  private readonly csrfKey: Buffer;

  constructor(
    private readonly config: AuthConfig,
    private readonly oidc: OidcConfig,
    private readonly jwt: JwtService,
    private readonly store: RunStore,
    private readonly bus: EventEmitter2,
  ) {
    this.passwordDigests = new Map(
      (config.users ?? DEMO_USERS)
        .split(',')
        .filter((pair) => pair !== '')
        .map((pair) => {
          const separator = pair.indexOf(':');
          return [pair.slice(0, separator), digest(pair.slice(separator + 1))];
        }),
    );
    this.csrfKey = Buffer.from(hkdfSync('sha256', config.jwtSecret, '', 'issuecast csrf token', 32));
  }

  onModuleInit(): void {
    if (this.config.users === undefined) {
      this.logger.warn(
        'AUTH_USERS is unset: the only user is demo / demo. Set AUTH_USERS (and AUTH_JWT_SECRET) before exposing the server.',
      );
    }
  }

  /** The username when the password is right, in constant time whether or not the user exists. */
  verify(username: string, password: string): string | undefined {
    const expected = this.passwordDigests.get(username) ?? UNKNOWN_USER_DIGEST;
    const matches = timingSafeEqual(expected, digest(password));
    return matches && this.passwordDigests.has(username) ? username : undefined;
  }

  /**
   * Whether a token's user may still act: one of `AUTH_USERS`, or anyone the OpenID Provider signed in
   * while it is configured. Removing the user, or the provider, and restarting ends their sessions.
   */
  isKnown({ username, identityProvider }: SignedInUser): boolean {
    return identityProvider === 'oidc' ? this.oidc.client !== undefined : this.passwordDigests.has(username);
  }

  /** Whether `POST /api/auth/login` has anyone to sign in. */
  get hasPasswordUsers(): boolean {
    return this.passwordDigests.size > 0;
  }

  async signIn(username: string, identityProvider: IdentityProvider = 'password'): Promise<Session> {
    const sessionId = randomUUID();
    const payload: TokenPayload = { sub: username, jti: sessionId };
    if (identityProvider === 'oidc') payload.idp = 'oidc';
    const token = await this.jwt.signAsync(payload);
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { username, token, csrfToken: this.csrfTokenFor(sessionId), expiresAt: exp * 1000 };
  }

  /**
   * Revokes the user's token, cookie or bearer, until it would have expired: recorded in the store,
   * so that it holds across restarts and instances; the streams it opened are closed.
   */
  async signOut({ sessionId, expiresAt }: SignedInUser): Promise<void> {
    await this.store.revokeSession(sessionId, new Date(expiresAt).toISOString());
    this.bus.emit(SESSION_SIGNED_OUT, sessionId);
  }

  isSignedOut(sessionId: string): Promise<boolean> {
    return this.store.isSessionRevoked(sessionId);
  }

  /** The CSRF token of one sign-in: a keyed hash of its token id, so another session's token never fits. */
  csrfTokenFor(sessionId: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionId).digest('base64url');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

const UNKNOWN_USER_DIGEST = digest(randomBytes(16).toString('hex'));

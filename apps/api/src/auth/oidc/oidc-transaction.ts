import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What the browser keeps between the redirect to the provider and the callback. */
export interface OidcTransaction {
  codeVerifier: string;
  state: string;
  nonce: string;
  /** The app's path to return to. */
  returnTo: string;
}

/** A sign-in must come back from the provider within this time. */
export const TRANSACTION_TTL_MS = 10 * 60_000;

/** The result of opening a transaction cookie: the transaction, or why there is none. */
export type OpenedTransaction =
  { transaction: OidcTransaction } | { refused: 'missing' | 'expired' | 'tampered' };

/**
 * Seals a transaction into a cookie value (its JSON and an HMAC under a key derived from the signing
 * secret), and opens one: nothing is kept on the server, so any instance can finish a sign-in.
 */
export class OidcTransactionSeal {
  private readonly key: Buffer;

  constructor(signingSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', signingSecret, '', 'issuecast oidc transaction', 32));
  }

  seal(transaction: OidcTransaction, nowMs: number): string {
    const body = Buffer.from(JSON.stringify({ ...transaction, expiresAt: nowMs + TRANSACTION_TTL_MS }));
    return `${body.toString('base64url')}.${this.mac(body)}`;
  }

  open(sealed: string | undefined, nowMs: number): OpenedTransaction {
    if (!sealed) return { refused: 'missing' };
    const [encoded = '', mac = ''] = sealed.split('.');
    const body = Buffer.from(encoded, 'base64url');
    const expected = Buffer.from(this.mac(body));
    if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), expected)) {
      return { refused: 'tampered' };
    }
    const { expiresAt, ...transaction } = JSON.parse(body.toString()) as OidcTransaction & {
      expiresAt: number;
    };
    return expiresAt > nowMs ? { transaction } : { refused: 'expired' };
  }

  private mac(body: Buffer): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

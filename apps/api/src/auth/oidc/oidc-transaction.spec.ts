import { OidcTransactionSeal, TRANSACTION_TTL_MS } from './oidc-transaction';

const transaction = { codeVerifier: 'verifier', state: 'state', nonce: 'nonce', returnTo: '/runs' };
const NOW = 1_800_000_000_000;

describe(OidcTransactionSeal.name, () => {
  const seal = new OidcTransactionSeal('a-signing-secret-of-at-least-32-chars');

  it('opens what it sealed within ten minutes', () => {
    expect(seal.open(seal.seal(transaction, NOW), NOW + TRANSACTION_TTL_MS - 1)).toEqual({ transaction });
  });

  it('refuses a transaction past its ten minutes', () => {
    expect(seal.open(seal.seal(transaction, NOW), NOW + TRANSACTION_TTL_MS)).toEqual({ refused: 'expired' });
  });

  it('refuses a transaction whose content was changed', () => {
    const [, mac] = seal.seal(transaction, NOW).split('.');
    const forged = Buffer.from(JSON.stringify({ ...transaction, returnTo: '/x', expiresAt: NOW + 1 }));

    expect(seal.open(`${forged.toString('base64url')}.${mac}`, NOW)).toEqual({ refused: 'tampered' });
  });

  it('refuses a transaction sealed under another secret', () => {
    const other = new OidcTransactionSeal('another-signing-secret-of-32-characters');

    expect(seal.open(other.seal(transaction, NOW), NOW)).toEqual({ refused: 'tampered' });
  });

  it('says when there is no transaction at all', () => {
    expect(seal.open(undefined, NOW)).toEqual({ refused: 'missing' });
    expect(seal.open('', NOW)).toEqual({ refused: 'missing' });
  });
});

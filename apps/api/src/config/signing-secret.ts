import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file in `DATA_DIR` that keeps a generated `AUTH_JWT_SECRET` across restarts. */
export const SIGNING_SECRET_FILE = 'auth-jwt-secret';

export function generatedSigningSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The secret kept in `dataDir`, created (readable by its owner only) on the first start, so that
 * sessions outlive a restart.
 */
export function persistedSigningSecret(dataDir: string): string {
  const file = join(dataDir, SIGNING_SECRET_FILE);
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = generatedSigningSecret();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

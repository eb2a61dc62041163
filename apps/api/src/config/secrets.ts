import type { AppConfig } from './app-config';

/** Shorter values would be redacted where they merely occur by chance. */
const MIN_SECRET_LENGTH = 8;

/** The configured secrets that text from outside (issues, repository files) must never carry to the model. */
export function secretValuesOf(config: AppConfig): string[] {
  return [config.githubToken, config.openaiApiKey, config.authJwtSecret].filter(
    (secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH,
  );
}

/** `text` with every occurrence of a secret replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) redacted = redacted.replaceAll(secret, '[redacted]');
  return redacted;
}

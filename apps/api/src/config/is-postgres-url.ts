import { ValidateBy } from 'class-validator';

const PROTOCOLS = new Set(['postgres:', 'postgresql:']);

/** A connection URL `pg` takes: `postgres://` or `postgresql://`, the form libpq documents. */
export function IsPostgresUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isPostgresUrl',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && URL.canParse(value) && PROTOCOLS.has(new URL(value).protocol),
      defaultMessage: () => 'must be a postgres:// or postgresql:// URL',
    },
  });
}

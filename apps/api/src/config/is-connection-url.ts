import { ValidateBy } from 'class-validator';

/** A connection URL with one of the schemes its client takes (`postgres:`, `redis:`, …). */
export function IsConnectionUrl(...protocols: `${string}:`[]): PropertyDecorator {
  const schemes = protocols.map((protocol) => `${protocol}//`);
  return ValidateBy({
    name: 'isConnectionUrl',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        URL.canParse(value) &&
        protocols.includes(new URL(value).protocol as `${string}:`),
      defaultMessage: () => `must be a ${schemes.join(' or ')} URL`,
    },
  });
}

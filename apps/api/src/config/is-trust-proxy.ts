import { isIP } from 'node:net';
import { ValidateBy } from 'class-validator';

/** The ranges Express's `trust proxy` knows by name. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * A hop count, or proxies as Express's `trust proxy` takes them (addresses, subnets, named ranges),
 * comma-separated. Checked here, so that a wrong value is refused naming its variable rather than
 * by Express once the app is built.
 */
export function IsTrustProxy(): PropertyDecorator {
  return ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && (/^\d{1,2}$/.test(value) || value.split(',').every(isProxy)),
      defaultMessage: () =>
        'must be a number of hops, or addresses, subnets or loopback/linklocal/uniquelocal, comma-separated',
    },
  });
}

function isProxy(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  // A /0 prefix would trust every address, which is what a hop count or a list is there to avoid.
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}

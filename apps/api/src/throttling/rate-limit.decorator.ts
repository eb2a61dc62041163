import { type ExecutionContext, SetMetadata } from '@nestjs/common';

/** The rate limits, each counted per user (per IP before sign-in) over `RATE_LIMIT_WINDOW_MS`. */
export const RATE_LIMITS = ['login', 'runStart', 'streamConnect'] as const;
export type RateLimitName = (typeof RATE_LIMITS)[number];

const RATE_LIMIT = 'issuecast:rate-limit';

/** Counts the route's requests against the named rate limit. */
export const RateLimit = (name: RateLimitName) => SetMetadata(RATE_LIMIT, name);

/** The rate limit a route counts against, if any. */
export function rateLimitOf(context: ExecutionContext): RateLimitName | undefined {
  return Reflect.getMetadata(RATE_LIMIT, context.getHandler()) as RateLimitName | undefined;
}

import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { LimitsConfig } from '../config/app-config';
import { RedisConnections } from '../redis/redis-connections';
import { RATE_LIMITS, type RateLimitName, rateLimitOf } from './rate-limit.decorator';
import { SharedThrottlerStorage } from './shared-throttler-storage';

/**
 * One throttler per rate limit; each counts only the routes marked with its `@RateLimit()`. In the
 * shared mode the counts are kept in Redis, across instances; otherwise in this process.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [LimitsConfig, { token: RedisConnections, optional: true }],
      useFactory: ({ rateLimitWindowMs, rateLimits }: LimitsConfig, redis?: RedisConnections) => {
        const perWindow: Record<RateLimitName, number> = rateLimits;
        return {
          throttlers: RATE_LIMITS.map((name) => ({
            name,
            ttl: rateLimitWindowMs,
            limit: perWindow[name],
            skipIf: (context) => rateLimitOf(context) !== name,
          })),
          storage: redis && new SharedThrottlerStorage(redis),
        };
      },
    }),
  ],
})
export class ThrottlingModule {}

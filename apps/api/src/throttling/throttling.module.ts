import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { LimitsConfig } from '../config/app-config';
import { RATE_LIMITS, type RateLimitName, rateLimitOf } from './rate-limit.decorator';

/** One throttler per rate limit; each counts only the routes marked with its `@RateLimit()`. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [LimitsConfig],
      useFactory: ({ rateLimitWindowMs, rateLimits }: LimitsConfig) => {
        const perWindow: Record<RateLimitName, number> = rateLimits;
        return RATE_LIMITS.map((name) => ({
          name,
          ttl: rateLimitWindowMs,
          limit: perWindow[name],
          skipIf: (context) => rateLimitOf(context) !== name,
        }));
      },
    }),
  ],
})
export class ThrottlingModule {}

import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { RATE_LIMITS, type RateLimitName, rateLimitOf } from './rate-limit.decorator';

const LIMIT_OF: Record<RateLimitName, keyof AppConfig> = {
  login: 'rateLimitLogins',
  runStart: 'rateLimitRunStarts',
  streamConnect: 'rateLimitStreamConnects',
};

/** One throttler per rate limit; each counts only the routes marked with its `@RateLimit()`. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        RATE_LIMITS.map((name) => ({
          name,
          ttl: config.rateLimitWindowMs,
          limit: config[LIMIT_OF[name]] as number,
          skipIf: (context) => rateLimitOf(context) !== name,
        })),
    }),
  ],
})
export class ThrottlingModule {}

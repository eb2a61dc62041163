import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisConnections } from '../redis/redis-connections';
import { answerWithin, messageOf } from './answer-within';
import type { ReadinessIndicator } from './readiness-indicator';

/** `redis`, in the shared mode: Redis answers; without it no run starts and no live event crosses instances. */
@Injectable()
export class RedisIndicator implements ReadinessIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisConnections,
  ) {}

  async check() {
    const indicator = this.indicators.check('redis');
    try {
      await answerWithin(this.redis.commands.ping());
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: `Redis is unreachable: ${messageOf(error)}` });
    }
  }
}

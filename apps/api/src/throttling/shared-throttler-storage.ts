import { Logger, type OnApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { once } from 'node:events';
import type { RedisConnections } from '../redis/redis-connections';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** As long as a start waits for Redis; past it, the limits are counted locally until Redis answers. */
const START_WAIT_MS = 30_000;

/**
 * The rate limits' counts in Redis, so that they hold across instances. While Redis cannot be
 * reached, this instance counts in its own memory instead (said once in the log when it starts and
 * once when it ends): the limits then hold per instance, not across them. Not a 503: a browser's
 * `EventSource` gives up for good on any answer but 200, and sign-ins need nothing from Redis.
 */
export class SharedThrottlerStorage
  implements ThrottlerStorage, OnApplicationBootstrap, OnApplicationShutdown
{
  private static readonly logger = new Logger('RateLimits');
  private readonly connection: Redis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private countingLocally = false;

  constructor(redis: RedisConnections) {
    // Its own connection: the storage names its keys `{key:limit}:hits`, and only a connection's
    // `keyPrefix` puts the deployment's prefix before the brace.
    this.connection = redis.open('rate-limits', { keyPrefix: redis.key('rate-limit', '') });
    this.shared = new ThrottlerStorageRedisService(this.connection);
  }

  /**
   * Before the first request, so that a start does not count locally (and warn) for no outage. After
   * the start has waited for Redis (and stopped if it never answered), so this is quick.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.connection.status === 'ready') return;
    await once(this.connection, 'ready', { signal: AbortSignal.timeout(START_WAIT_MS) }).catch(
      () => undefined,
    );
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      if (this.countingLocally) {
        this.countingLocally = false;
        SharedThrottlerStorage.logger.log('Rate limits are counted in Redis again, across instances');
      }
      return record;
    } catch (error) {
      if (!this.countingLocally) {
        this.countingLocally = true;
        SharedThrottlerStorage.logger.warn(
          `Redis is unreachable (${(error as Error).message}): rate limits are counted by this instance alone until it is back`,
        );
      }
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }
}

import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { DeploymentConfig } from '../config/app-config';
import { RedisConnections } from './redis-connections';

/** Waits for Redis at start, and closes the connections once everything that uses them has stopped. */
class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(RedisConnections) private readonly redis: RedisConnections) {}

  async onModuleInit(): Promise<void> {
    await this.redis.connected();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }
}

/**
 * `RedisConnections` in the shared mode (`REDIS_URL`); nothing otherwise. What works either way
 * takes it as an optional dependency and keeps to this process without it.
 */
@Global()
@Module({})
export class RedisModule {
  static forRoot({ redis }: DeploymentConfig): DynamicModule {
    if (!redis) return { module: RedisModule };
    return {
      module: RedisModule,
      providers: [
        { provide: RedisConnections, useFactory: () => new RedisConnections(redis) },
        RedisLifecycle,
      ],
      exports: [RedisConnections],
    };
  }
}

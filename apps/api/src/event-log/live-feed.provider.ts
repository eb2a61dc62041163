import type { Provider } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { RedisConnections } from '../redis/redis-connections';
import { RunStore } from '../store/run-store';
import { BusLiveFeed } from './bus-live-feed';
import { LiveFeed } from './live-feed';
import { RedisLiveFeed } from './redis-live-feed';

/** The feed of this process alone, or with Redis in the shared mode, every process's. */
export const LIVE_FEED_PROVIDER: Provider = {
  provide: LiveFeed,
  inject: [EventEmitter2, RunStore, { token: RedisConnections, optional: true }],
  useFactory: (bus: EventEmitter2, store: RunStore, redis?: RedisConnections): LiveFeed => {
    const local = new BusLiveFeed(bus);
    return redis ? new RedisLiveFeed(local, redis, store) : local;
  },
};

import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { once } from 'node:events';
import type { RedisSettings } from '../config/app-config';

/** How long a start waits for Redis before it gives up, naming `REDIS_URL`. */
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * The connections of this process to the Redis of the shared mode, and the names it uses there.
 * Each use that blocks or subscribes opens a connection of its own (a connection in `SUBSCRIBE` or
 * `XREAD BLOCK` serves nothing else); the others share `commands`. A command while Redis is
 * unreachable fails at once instead of waiting in a queue, so that callers can answer 503; every
 * connection reconnects on its own, and its subscriptions with it.
 */
export class RedisConnections {
  private static readonly logger = new Logger('Redis');

  private readonly opened: Redis[] = [];
  /** For ordinary commands. */
  readonly commands: Redis;

  constructor(private readonly settings: RedisSettings) {
    this.commands = this.open('commands');
  }

  /** The name of a key or channel of this deployment: the prefix, then `parts` joined by `:`. */
  key(...parts: string[]): string {
    return `${this.settings.keyPrefix}${parts.join(':')}`;
  }

  /** A new connection, closed with the others; `options` for what it is used for (a subscriber keeps its offline queue). */
  open(use: string, options: RedisOptions = {}): Redis {
    const redis = new Redis(this.settings.url, {
      connectionName: `issuecast-${use}`,
      enableOfflineQueue: false,
      ...options,
    });
    this.watch(redis, use);
    this.opened.push(redis);
    return redis;
  }

  /** Resolves once `commands` is connected; fails after 30 s, naming `REDIS_URL` (never its password). */
  async connected(): Promise<void> {
    if (this.commands.status === 'ready') return;
    const timeout = AbortSignal.timeout(CONNECT_TIMEOUT_MS);
    try {
      await once(this.commands, 'ready', { signal: timeout });
    } catch {
      throw new Error(
        `Redis at REDIS_URL did not answer within ${CONNECT_TIMEOUT_MS / 1_000} s: ${this.lastError ?? 'no answer'}`,
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.opened.map((redis) => redis.quit().catch(() => redis.disconnect())));
  }

  private lastError?: string;

  /** Logs an outage once when it starts and once when it ends, not at every reconnection attempt. */
  private watch(redis: Redis, use: string): void {
    let down = false;
    redis.on('error', (error: Error) => {
      this.lastError = error.message;
      if (down) return;
      down = true;
      RedisConnections.logger.warn(`Redis (${use}) is unreachable, reconnecting: ${error.message}`);
    });
    redis.on('ready', () => {
      if (!down) return;
      down = false;
      RedisConnections.logger.log(`Redis (${use}) is reachable again`);
    });
  }
}

import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { RedisConnections } from '../redis/redis-connections';
import { type StreamSlotAnswer, StreamSlots } from './stream-slots';

/** Redis's own clock, in milliseconds: the instances' clocks need not agree. */
const NOW_MS = `local time = redis.call('TIME')
local now = time[1] * 1000 + math.floor(time[2] / 1000)`;

/**
 * KEYS[1] the user's set; ARGV: cap, lease (ms), the new member. Forgets the places whose lease
 * ran out, then takes one unless `cap` are held: answers -1 when taken, else how many are held.
 */
const TAKE = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local open = redis.call('ZCARD', KEYS[1])
if open >= tonumber(ARGV[1]) then return open end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return -1`;

/** KEYS[1] the user's set; ARGV: lease (ms), then the members this instance holds, each leased again (or again added). */
const RENEW = `${NOW_MS}
for index = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[index]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return #ARGV - 1`;

interface SlotScripts {
  issuecastTakeStreamSlot(key: string, cap: number, leaseMs: number, member: string): Promise<number>;
  issuecastRenewStreamSlots(key: string, leaseMs: number, ...members: string[]): Promise<number>;
}

/**
 * The cap across every instance of the shared mode: a sorted set per user in Redis, one member per
 * open stream, scored by when its lease ends. Each instance renews the leases of its streams every
 * quarter of `leaseMs`, so the places of an instance that died (SIGKILL) come free within `leaseMs`.
 * Taking is one Lua script: forget the expired, count, add, atomically.
 *
 * While Redis cannot be reached, a stream still opens if this instance holds fewer than `cap` of the
 * user's streams (said once in the log): a browser's `EventSource` gives up for good on any answer but
 * 200. Those streams are added to Redis at the first renewal once it is back, and count from then on.
 */
export class RedisStreamSlots extends StreamSlots implements OnModuleDestroy {
  private static readonly logger = new Logger('StreamSlots');
  private readonly redis: Redis & SlotScripts;
  /** The members this instance holds, by user. */
  private readonly held = new Map<string, Set<string>>();
  private readonly renewal: NodeJS.Timeout;
  private countingLocally = false;

  constructor(
    private readonly connections: RedisConnections,
    private readonly cap: number,
    private readonly leaseMs: number,
  ) {
    super();
    const redis = connections.commands;
    redis.defineCommand('issuecastTakeStreamSlot', { numberOfKeys: 1, lua: TAKE });
    redis.defineCommand('issuecastRenewStreamSlots', { numberOfKeys: 1, lua: RENEW });
    this.redis = redis as Redis & SlotScripts;
    this.renewal = setInterval(() => void this.renew(), leaseMs / 4).unref();
  }

  async take(username: string): Promise<StreamSlotAnswer> {
    const member = randomUUID();
    try {
      const open = await this.redis.issuecastTakeStreamSlot(
        this.keyOf(username),
        this.cap,
        this.leaseMs,
        member,
      );
      this.counted(true);
      if (open >= 0) return { taken: false, open };
    } catch (error) {
      this.counted(false, error);
      const open = this.held.get(username)?.size ?? 0;
      if (open >= this.cap) return { taken: false, open };
    }
    const mine = this.held.get(username) ?? new Set();
    this.held.set(username, mine.add(member));
    return { taken: true, release: () => this.release(username, member) };
  }

  onModuleDestroy(): void {
    clearInterval(this.renewal);
  }

  private release(username: string, member: string): void {
    const mine = this.held.get(username);
    if (!mine?.delete(member)) return;
    if (mine.size === 0) this.held.delete(username);
    // Unreachable: the lease runs out on its own.
    this.redis.zrem(this.keyOf(username), member).catch(() => undefined);
  }

  /** Unreachable: the next renewal tries again; the outage itself is logged by the connection. */
  private async renew(): Promise<void> {
    await Promise.allSettled(
      [...this.held].map(([username, members]) =>
        this.redis.issuecastRenewStreamSlots(this.keyOf(username), this.leaseMs, ...members),
      ),
    );
  }

  private counted(inRedis: boolean, error?: unknown): void {
    if (inRedis === !this.countingLocally) return;
    this.countingLocally = !inRedis;
    if (inRedis) RedisStreamSlots.logger.log('Open streams are counted in Redis again, across instances');
    else
      RedisStreamSlots.logger.warn(
        `Redis is unreachable (${(error as Error).message}): open streams are counted by this instance alone until it is back`,
      );
  }

  private keyOf(username: string): string {
    return this.connections.key('stream-slots', username);
  }
}

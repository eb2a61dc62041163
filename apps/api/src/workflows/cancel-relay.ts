import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections';
import { RunExecutor } from './run-executor';

/**
 * The shared mode's cancels: the instance a cancel reaches publishes the run's id on
 * `<prefix>cancel`, and the process executing the run (whichever it is) cancels it.
 */
@Injectable()
export class CancelRelay implements OnApplicationBootstrap {
  private readonly channel: string;
  private readonly subscriber: Redis;

  constructor(
    private readonly redis: RedisConnections,
    private readonly executor: RunExecutor,
    @InjectPinoLogger(CancelRelay.name) private readonly logger: PinoLogger,
  ) {
    this.channel = redis.key('cancel');
    this.subscriber = redis.open('cancel-relay', { enableOfflineQueue: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.subscriber.on('message', (_channel: string, workflowId: string) => {
      this.executor
        .cancel(workflowId)
        .catch((error: unknown) => this.logger.warn({ err: error, workflowId }, 'cancelling the run failed'));
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** Asks every process to cancel the run; fails when Redis is unreachable. */
  async publish(workflowId: string): Promise<void> {
    await this.redis.commands.publish(this.channel, workflowId);
  }
}

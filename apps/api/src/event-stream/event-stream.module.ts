import { Module } from '@nestjs/common';
import { DeploymentConfig, LimitsConfig } from '../config/app-config';
import { EventLogModule } from '../event-log/event-log.module';
import { RedisConnections } from '../redis/redis-connections';
import { EventStreamController } from './event-stream.controller';
import { EventStreamService } from './event-stream.service';
import { RedisStreamSlots } from './redis-stream-slots';
import { LocalStreamSlots, StreamSlots } from './stream-slots';

/** A run's events from its log to the browser, over Server-Sent Events. */
@Module({
  imports: [EventLogModule],
  controllers: [EventStreamController],
  providers: [
    EventStreamService,
    {
      // Across the instances in the shared mode; in this process otherwise.
      provide: StreamSlots,
      inject: [LimitsConfig, DeploymentConfig, { token: RedisConnections, optional: true }],
      useFactory: (
        { openStreamsPerUser }: LimitsConfig,
        { runLeaseMs }: DeploymentConfig,
        redis?: RedisConnections,
      ) =>
        redis
          ? new RedisStreamSlots(redis, openStreamsPerUser, runLeaseMs)
          : new LocalStreamSlots(openStreamsPerUser),
    },
  ],
})
export class EventStreamModule {}

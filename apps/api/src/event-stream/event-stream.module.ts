import { Module } from '@nestjs/common';
import { EventLogModule } from '../event-log/event-log.module';
import { EventStreamController } from './event-stream.controller';
import { EventStreamService } from './event-stream.service';

/** A run's events from its log to the browser, over Server-Sent Events. */
@Module({
  imports: [EventLogModule],
  controllers: [EventStreamController],
  providers: [EventStreamService],
})
export class EventStreamModule {}

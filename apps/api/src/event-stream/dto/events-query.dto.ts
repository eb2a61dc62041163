import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { EVENT_ID_PATTERN } from '../last-event-id.pipe';

export class EventsQueryDto {
  @ApiPropertyOptional({
    description: 'Resume after this event id (for clients that cannot send the Last-Event-ID header).',
    type: 'integer',
    minimum: 0,
  })
  @IsOptional()
  @IsString()
  @Matches(EVENT_ID_PATTERN, { message: 'lastEventId must be a non-negative integer' })
  lastEventId?: string;
}

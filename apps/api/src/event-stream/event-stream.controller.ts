import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, type SignedInUser } from '../auth/signed-in-user';
import { RateLimit } from '../throttling/rate-limit.decorator';
import { EventsQueryDto } from './dto/events-query.dto';
import { LastEventIdHeader, LastEventIdPipe } from './last-event-id.pipe';
import { ApiEventStream } from './api-event-stream.decorator';
import { workflowIdPipe } from '../workflows/workflow-id.pipe';
import { EventStreamService } from './event-stream.service';

@ApiTags('workflows')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('workflows')
export class EventStreamController {
  constructor(private readonly streams: EventStreamService) {}

  // Not @Sse(): its per-connection Observable pipeline re-serializes every event for every client
  // and writes each in a turn of its own; the service writes the shared frames itself (see bench/).
  @Get(':workflowId/events')
  @RateLimit('streamConnect')
  @ApiEventStream()
  stream(
    @Param('workflowId', workflowIdPipe) workflowId: string,
    @Query() query: EventsQueryDto,
    @LastEventIdHeader(LastEventIdPipe) lastEventIdHeader: number | undefined,
    @CurrentUser() user: SignedInUser,
    @Res() response: Response,
  ): Promise<void> {
    const fromQuery = query.lastEventId === undefined ? undefined : Number(query.lastEventId);
    return this.streams.stream(workflowId, Math.max(lastEventIdHeader ?? 0, fromQuery ?? 0), user, response);
  }
}

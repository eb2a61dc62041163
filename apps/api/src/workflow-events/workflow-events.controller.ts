import { Controller, HttpStatus, type MessageEvent, Param, Query, Res, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, type SignedInUser } from '../auth/signed-in-user';
import { RateLimit } from '../throttling/rate-limit.decorator';
import { EMPTY, type Observable } from 'rxjs';
import { EventsQueryDto } from './dto/events-query.dto';
import { LastEventIdHeader, LastEventIdPipe } from './last-event-id.pipe';
import { ApiEventStream } from './api-event-stream.decorator';
import { workflowIdPipe } from './workflow-id.pipe';
import { WorkflowEventsService } from './workflow-events.service';

/**
 * Characters of events that may wait for a client that is not reading before Nest drops its
 * connection; the client then resumes from the log with `Last-Event-ID`.
 */
const MAX_PENDING_CHARACTERS = 1024 * 1024;

@ApiTags('workflows')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('workflows')
export class WorkflowEventsController {
  constructor(private readonly events: WorkflowEventsService) {}

  @Sse(':workflowId/events', { maxPendingDataLength: MAX_PENDING_CHARACTERS })
  @RateLimit('streamConnect')
  @ApiEventStream()
  stream(
    @Param('workflowId', workflowIdPipe) workflowId: string,
    @Query() query: EventsQueryDto,
    @LastEventIdHeader(LastEventIdPipe) lastEventIdHeader: number | undefined,
    @CurrentUser() user: SignedInUser,
    @Res({ passthrough: true }) response: Response,
  ): Observable<MessageEvent> {
    const afterId = Math.max(lastEventIdHeader ?? 0, query.lastEventId ?? 0);
    const opening = this.events.open(workflowId, afterId, user, response);
    if (opening.kind === 'stream') return opening.messages;
    // 204 tells an EventSource that the run is over: it stops reconnecting.
    response.status(HttpStatus.NO_CONTENT);
    return EMPTY;
  }
}

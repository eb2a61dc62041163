import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { anyWorkflowEventSchema } from '../event-log/workflow-event-schemas';

/** OpenAPI description of the SSE endpoint: the wire format and every event type. */
export function ApiEventStream(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: "Stream a run's events (Server-Sent Events)",
      description: [
        'Replays the run from the start (or after `Last-Event-ID` / `?lastEventId=`), then streams live events',
        'until the terminal `complete` or `error` event, after which the response ends.',
        'Each event is one SSE message: `id: <id>`, `event: <type>`, `data: <the event as JSON>`; a failure',
        '(JSON `type` `error`) is sent as `event: run_error`, since `EventSource` fires `error` for its own',
        'connection trouble. The stream starts with a `retry:` hint and carries a comment line as heartbeat',
        'while the run is quiet; neither is a message with data. A 204 answers a resume past the end: stop reconnecting.',
      ].join(' '),
    }),
    ApiProduces('text/event-stream'),
    ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id.' }),
    ApiOkResponse({
      description: 'The event stream; each message `data` is one of these events.',
      content: { 'text/event-stream': { schema: anyWorkflowEventSchema } },
    }),
    ApiNoContentResponse({
      description: 'The run has ended and the client already has its terminal event: stop reconnecting.',
    }),
    ApiBadRequestResponse({ description: 'Malformed workflow id or event id.' }),
    ApiNotFoundResponse({ description: 'No such run.' }),
    ApiTooManyRequestsResponse({
      description: 'Too many connection attempts or open streams; see Retry-After.',
    }),
  );
}

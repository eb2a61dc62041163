import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';

/** How a connection to an event stream ended. */
type StreamOutcome = 'ended' | 'disconnected' | 'caught_up' | 'refused';

/**
 * Event-stream connections, seen from the outside of the route: each response is followed from
 * the request to its `close`, whoever answers it (the guards' 401 and 429 included).
 */
@Injectable()
export class StreamMetricsMiddleware implements NestMiddleware {
  private readonly connecting = new Set<ServerResponse>();
  private readonly connections: Counter<'outcome' | 'status'>;

  constructor(registry: Registry) {
    const connecting = this.connecting;
    new Gauge({
      name: 'issuecast_open_streams',
      help: 'Event streams open now',
      registers: [registry],
      collect() {
        this.set([...connecting].filter(isStreaming).length);
      },
    });
    this.connections = new Counter({
      name: 'issuecast_stream_connections_total',
      help: 'Connections to event streams, by outcome: ended by the server, disconnected (the client left or was dropped), caught_up (204), refused',
      labelNames: ['outcome', 'status'],
      registers: [registry],
    });
  }

  use(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
    this.connecting.add(response);
    response.once('close', () => {
      this.connecting.delete(response);
      this.connections.inc({ outcome: outcomeOf(response), status: response.statusCode });
    });
    next();
  }
}

function isStreaming(response: ServerResponse): boolean {
  return response.headersSent && response.statusCode === 200;
}

function outcomeOf(response: ServerResponse): StreamOutcome {
  if (response.statusCode === 204) return 'caught_up';
  if (response.statusCode !== 200) return 'refused';
  return response.writableEnded ? 'ended' : 'disconnected';
}

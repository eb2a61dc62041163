import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { LoggedEvent } from './logged-event';
import { LiveFeed } from './live-feed';
import { workflowEventChannel } from './workflow-event-channel';
import type { LoggedEventListener } from './workflow-event-log';

/**
 * The feed of one process: each stored event is published on the `@nestjs/event-emitter` bus, on
 * its run's channel, where the streams and the metrics of this process hear it.
 */
export class BusLiveFeed extends LiveFeed {
  constructor(private readonly bus: EventEmitter2) {
    super();
  }

  startWriting(): void {
    // Every event of this process's feed is written here.
  }

  stopWriting(): void {
    // As above.
  }

  announce(workflowId: string, entries: readonly LoggedEvent[]): void {
    const channel = workflowEventChannel(workflowId);
    for (const entry of entries) this.bus.emit(channel, entry);
  }

  heardAfter(): undefined {
    // What this feed announces is written here, and the log keeps it.
    return undefined;
  }

  listen(workflowId: string, listener: LoggedEventListener): () => void {
    const channel = workflowEventChannel(workflowId);
    this.bus.on(channel, listener);
    return () => this.bus.off(channel, listener);
  }
}

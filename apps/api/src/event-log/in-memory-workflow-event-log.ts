import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type LoggedEvent, toLoggedEvent } from './logged-event';
import { workflowEventChannel } from './workflow-event-channel';
import { type LoggedEventListener, type UnloggedEvent, WorkflowEventLog } from './workflow-event-log';

/**
 * The log of a single process: events in arrays, announced on the `@nestjs/event-emitter` bus,
 * one channel per run. Everything happens in one turn of the event loop, which makes `append` atomic.
 */
@Injectable()
export class InMemoryWorkflowEventLog extends WorkflowEventLog {
  private readonly runs = new Map<string, { owner: string; events: LoggedEvent[] }>();

  constructor(private readonly bus: EventEmitter2) {
    super();
  }

  create(workflowId: string, owner: string): void {
    if (this.runs.has(workflowId)) throw new Error(`Workflow ${workflowId} already has a log`);
    this.runs.set(workflowId, { owner, events: [] });
  }

  ownerOf(workflowId: string): string | undefined {
    return this.runs.get(workflowId)?.owner;
  }

  has(workflowId: string): boolean {
    return this.runs.has(workflowId);
  }

  last(workflowId: string): LoggedEvent | undefined {
    return this.runs.get(workflowId)?.events.at(-1);
  }

  append(unlogged: UnloggedEvent): LoggedEvent {
    const { workflowId } = unlogged;
    const events = this.eventsOf(workflowId);
    const entry = toLoggedEvent({ id: events.length + 1, ...unlogged });
    events.push(entry);
    this.bus.emit(workflowEventChannel(workflowId), entry);
    return entry;
  }

  readAfter(workflowId: string, afterId: number): readonly LoggedEvent[] {
    // Ids are 1, 2, 3 … so the event with id n sits at index n - 1.
    return this.eventsOf(workflowId).slice(Math.max(0, afterId));
  }

  subscribe(workflowId: string, listener: LoggedEventListener): () => void {
    const channel = workflowEventChannel(workflowId);
    this.bus.on(channel, listener);
    return () => this.bus.off(channel, listener);
  }

  delete(workflowId: string): void {
    this.runs.delete(workflowId);
    this.bus.removeAllListeners(workflowEventChannel(workflowId));
  }

  private eventsOf(workflowId: string): LoggedEvent[] {
    const run = this.runs.get(workflowId);
    if (!run) throw new Error(`Workflow ${workflowId} has no log`);
    return run.events;
  }
}

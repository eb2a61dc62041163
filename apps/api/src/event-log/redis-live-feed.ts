import { Logger } from '@nestjs/common';
import { isTerminalEvent } from '@issuecast/workflow-events';
import type { Redis } from 'ioredis';
import type { RedisConnections } from '../redis/redis-connections';
import type { RunStore } from '../store/run-store';
import type { BusLiveFeed } from './bus-live-feed';
import { decodeLiveMessage, encodeLiveMessage } from './live-feed-message';
import { LiveFeed } from './live-feed';
import { fromStoredEvent, type LoggedEvent } from './logged-event';
import type { LoggedEventListener } from './workflow-event-log';

/** The listeners of a run in this process, and whether they hold a Redis subscription to its channel. */
interface Topic {
  readonly listeners: Set<LoggedEventListener>;
  subscribed: boolean;
  /**
   * The events heard since the last gap, ids `heardFrom`, `heardFrom + 1`, …: the streams that fall
   * behind catch up from them, not each from the store. Nothing is known of the run before its first
   * event or wake-up heard here.
   */
  heardFrom?: number;
  heard: LoggedEvent[];
}

/**
 * The feed of the shared mode: each batch of stored events is published on the bus of this process
 * and on the run's Redis channel (`events:<workflowId>`), once, as the frames the log encoded.
 *
 * A process subscribes to the channel of a run it follows but does not write, once however many
 * listeners it has there, and unsubscribes when the last leaves; a run it writes reaches its
 * listeners on the bus alone, and its own publications coming back are ignored. Pub/sub keeps
 * nothing, so whatever is published while a subscription is on its way, or while Redis is
 * unreachable, is made up from the store: once Redis acknowledges a subscription, and again each
 * time the subscriber reconnects, every listener is woken with the run's last stored event, and
 * a stream that finds itself behind catches up from the log. A publication that fails is sent again,
 * the run's latest event only, once the publishing connection is back.
 */
export class RedisLiveFeed extends LiveFeed {
  private static readonly logger = new Logger(RedisLiveFeed.name);

  private readonly subscriber: Redis;
  private readonly channelPrefix: string;
  private readonly channelPrefixBytes: number;
  private readonly topics = new Map<string, Topic>();
  /** The runs this process writes, and whether their terminal event has been announced. */
  private readonly writing = new Map<string, { ended: boolean }>();
  /** The latest event of each run whose publication failed, published again once Redis is back. */
  private readonly unpublished = new Map<string, LoggedEvent>();

  constructor(
    private readonly local: BusLiveFeed,
    private readonly redis: RedisConnections,
    private readonly store: RunStore,
  ) {
    super();
    this.channelPrefix = redis.key('events', '');
    this.channelPrefixBytes = Buffer.byteLength(this.channelPrefix);
    // Renewed by hand on each reconnection, so that the listeners are woken once Redis acknowledges them.
    this.subscriber = redis.open('live-feed', { enableOfflineQueue: true, autoResubscribe: false });
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel, message));
    // Its first connection sends the subscriptions asked for meanwhile; a reconnection sends none by itself.
    let reconnecting = false;
    this.subscriber.on('close', () => (reconnecting = true));
    this.subscriber.on('ready', () => reconnecting && this.resubscribe());
    redis.commands.on('ready', () => this.publishAgain());
  }

  startWriting(workflowId: string): void {
    this.writing.set(workflowId, { ended: false });
  }

  stopWriting(workflowId: string): void {
    const ended = this.writing.get(workflowId)?.ended;
    this.writing.delete(workflowId);
    const topic = this.topics.get(workflowId);
    // Another process may write the rest of a run this one stopped writing before its end.
    if (topic && !topic.subscribed && !ended) this.subscribe(workflowId, topic);
  }

  announce(workflowId: string, entries: readonly LoggedEvent[]): void {
    const last = entries.at(-1);
    if (!last) return;
    this.local.announce(workflowId, entries);
    const writing = this.writing.get(workflowId);
    if (writing && isTerminalEvent(last.event)) writing.ended = true;
    this.publish(workflowId, encodeLiveMessage(entries), last);
  }

  listen(workflowId: string, listener: LoggedEventListener): () => void {
    const stopLocal = this.local.listen(workflowId, listener);
    let topic = this.topics.get(workflowId);
    if (!topic) {
      topic = { listeners: new Set(), subscribed: false, heard: [] };
      this.topics.set(workflowId, topic);
    }
    topic.listeners.add(listener);
    if (!topic.subscribed && !this.writing.has(workflowId)) this.subscribe(workflowId, topic);
    return () => {
      stopLocal();
      topic.listeners.delete(listener);
      if (topic.listeners.size > 0 || this.topics.get(workflowId) !== topic) return;
      this.topics.delete(workflowId);
      if (topic.subscribed)
        this.subscriber.unsubscribe(this.channel(workflowId)).catch(this.failed('unsubscribe'));
    };
  }

  heardAfter(workflowId: string, afterId: number): readonly LoggedEvent[] | undefined {
    const topic = this.topics.get(workflowId);
    if (topic?.heardFrom === undefined || this.writing.has(workflowId)) return undefined;
    const offset = afterId + 1 - topic.heardFrom;
    return offset >= 0 && offset <= topic.heard.length ? topic.heard.slice(offset) : undefined;
  }

  private channel(workflowId: string): string {
    return `${this.channelPrefix}${workflowId}`;
  }

  private publish(workflowId: string, message: Buffer, last: LoggedEvent): void {
    const { id } = last.event;
    this.redis.commands.publish(this.channel(workflowId), message).then(
      () => {
        if ((this.unpublished.get(workflowId)?.event.id ?? Infinity) <= id)
          this.unpublished.delete(workflowId);
      },
      () => {
        if ((this.unpublished.get(workflowId)?.event.id ?? 0) < id) this.unpublished.set(workflowId, last);
      },
    );
  }

  /** The runs published while Redis was unreachable: their latest event, so that their followers catch up. */
  private publishAgain(): void {
    for (const [workflowId, last] of this.unpublished) {
      this.unpublished.delete(workflowId);
      this.publish(workflowId, last.frame, last);
    }
  }

  private subscribe(workflowId: string, topic: Topic): void {
    topic.subscribed = true;
    this.subscriber
      .subscribe(this.channel(workflowId))
      .then(() => this.wake(workflowId, topic), this.failed('subscribe'));
  }

  /** After a reconnection: the subscriptions again, and every listener woken once Redis has them. */
  private resubscribe(): void {
    const renewed = [...this.topics].filter(([, topic]) => topic.subscribed);
    if (renewed.length === 0) return;
    this.subscriber.subscribe(...renewed.map(([workflowId]) => this.channel(workflowId))).then(() => {
      for (const [workflowId, topic] of renewed) void this.wake(workflowId, topic);
    }, this.failed('subscribe'));
  }

  /** Hands the run's listeners its last stored event: a listener that has not seen it catches up. */
  private async wake(workflowId: string, topic: Topic): Promise<void> {
    const current = () => this.topics.get(workflowId) === topic && !this.writing.has(workflowId);
    if (!current()) return;
    let stored;
    try {
      stored = await this.store.lastEvent(workflowId);
    } catch (error) {
      RedisLiveFeed.logger.warn(`Reading the last event of ${workflowId} failed: ${String(error)}`);
      return;
    }
    if (!stored || !current()) return;
    this.deliver(topic, fromStoredEvent(stored));
  }

  /**
   * Keeps the entry among those heard, before any listener hears it: a listener that reads the log
   * then finds it there, or finds the log sending it to the store for what came before. An entry
   * past a gap starts the heard events anew; one heard already changes nothing.
   */
  private deliver(topic: Topic, entry: LoggedEvent): void {
    const { id } = entry.event;
    const next = topic.heardFrom === undefined ? undefined : topic.heardFrom + topic.heard.length;
    if (next === undefined || id > next) {
      topic.heardFrom = id;
      topic.heard = [entry];
    } else if (id === next) {
      topic.heard.push(entry);
    }
    for (const listener of topic.listeners) listener(entry);
  }

  private receive(channel: Buffer, message: Buffer): void {
    const workflowId = channel.toString('utf8', this.channelPrefixBytes);
    const topic = this.topics.get(workflowId);
    // A run this process writes was heard on the bus already.
    if (!topic || this.writing.has(workflowId)) return;
    let entries: LoggedEvent[];
    try {
      entries = decodeLiveMessage(message);
    } catch (error) {
      RedisLiveFeed.logger.error(`A message on ${channel.toString()} was not understood: ${String(error)}`);
      return;
    }
    for (const entry of entries) this.deliver(topic, entry);
  }

  /** A command that failed while the subscriber was closing is of no account; the others are logged, and renewed on reconnection. */
  private failed(command: string): (error: unknown) => void {
    return (error) => {
      if (this.subscriber.status === 'end') return;
      RedisLiveFeed.logger.warn(`Redis ${command} for the live feed failed: ${String(error)}`);
    };
  }
}

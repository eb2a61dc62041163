import { EventEmitter2 } from '@nestjs/event-emitter';
import { Redis } from 'ioredis';
import { insertScratchRun, openScratchStore } from '../../test/store/scratch-store';
import { createTestKeyPrefix, describeWithSharedMode, type TestKeyPrefix } from '../../test/store/test-redis';
import { startTcpProxy, type TcpProxy } from '../../test/shared-mode/tcp-proxy';
import { RedisConnections } from '../redis/redis-connections';
import type { SqliteRunStore } from '../store/sqlite/sqlite-run-store';
import { BusLiveFeed } from './bus-live-feed';
import type { LoggedEvent } from './logged-event';
import { RedisLiveFeed } from './redis-live-feed';
import { StoredWorkflowEventLog } from './stored-workflow-event-log';
import type { UnloggedEvent } from './workflow-event-log';

const RUN = '8f0e4c52-5f2a-4b7e-9d1c-2a3b4c5d6e7f';

function deltaOf(content: string): UnloggedEvent {
  return { workflowId: RUN, type: 'llm_response', data: { content }, timestamp: '2024-05-01T12:00:00.000Z' };
}

/** Resolves once `condition` holds, looking every 20 ms. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** One process of the shared mode, as far as the log goes: its Redis connections, its feed and its log on the shared store. */
interface Instance {
  log: StoredWorkflowEventLog;
  bus: EventEmitter2;
  connections: RedisConnections;
}

describeWithSharedMode(RedisLiveFeed.name, () => {
  let prefix: TestKeyPrefix;
  let store: SqliteRunStore;
  let observer: Redis;
  let proxy: TcpProxy;
  const instances: Instance[] = [];

  beforeEach(async () => {
    prefix = createTestKeyPrefix();
    store = await openScratchStore();
    await insertScratchRun(store, RUN);
    observer = new Redis(process.env.REDIS_URL as string);
    proxy = await startTcpProxy(process.env.REDIS_URL as string);
  });

  afterEach(async () => {
    for (const { connections } of instances.splice(0)) await connections.close();
    await observer.quit();
    await proxy.close();
    await prefix.remove();
    await store.close();
  });

  async function instance(url = process.env.REDIS_URL as string): Promise<Instance> {
    const connections = new RedisConnections({ url, keyPrefix: prefix.prefix });
    await connections.connected();
    const bus = new EventEmitter2();
    const log = new StoredWorkflowEventLog(
      store,
      new RedisLiveFeed(new BusLiveFeed(bus), connections, store),
    );
    const made = { log, bus, connections };
    instances.push(made);
    return made;
  }

  /** How many connections are subscribed to the run's channel. */
  async function subscribers(): Promise<number> {
    const [, count] = (await observer.pubsub('NUMSUB', `${prefix.prefix}events:${RUN}`)) as [string, number];
    return count;
  }

  function listen(log: StoredWorkflowEventLog): { heard: LoggedEvent[]; stop: () => void } {
    const heard: LoggedEvent[] = [];
    return { heard, stop: log.subscribe(RUN, (entry) => heard.push(entry)) };
  }

  const ids = (entries: readonly LoggedEvent[]) => entries.map(({ event }) => event.id);

  it('hands the events one process stores to the listeners of another, framed in the same bytes', async () => {
    const [writer, reader] = [await instance(), await instance()];
    const { heard } = listen(reader.log);
    await until(async () => (await subscribers()) === 1);

    writer.log.openForWriting(RUN);
    const written = ['one', 'two', 'three'].map((content) => writer.log.append(deltaOf(content)));
    await writer.log.closeForWriting(RUN);

    await until(() => heard.length === 3);
    expect(heard.map(({ frame }) => frame.toString())).toEqual(written.map(({ frame }) => frame.toString()));
    expect(heard.map(({ event }) => event)).toEqual(written.map(({ event }) => event));
  });

  it('keeps what it heard of a run written elsewhere, so that a stream behind catches up from memory, not the store', async () => {
    const [writer, reader] = [await instance(), await instance()];
    const { heard } = listen(reader.log);
    await until(async () => (await subscribers()) === 1);
    writer.log.openForWriting(RUN);
    ['one', 'two', 'three'].map((content) => writer.log.append(deltaOf(content)));
    await until(() => heard.length === 3);
    const reads = jest.spyOn(store, 'readEvents');

    expect(await reader.log.readAfter(RUN, 1)).toEqual(heard.slice(1));
    expect(await reader.log.readAfter(RUN, 3)).toEqual([]);
    expect(reads).not.toHaveBeenCalled();
    await writer.log.closeForWriting(RUN);
  });

  it('holds one subscription per run however many listen, and ends it when the last one stops', async () => {
    const reader = await instance();
    const listeners = [listen(reader.log), listen(reader.log), listen(reader.log)];
    await until(async () => (await subscribers()) === 1);

    listeners[0].stop();
    listeners[1].stop();
    expect(await subscribers()).toBe(1);
    listeners[2].stop();

    await until(async () => (await subscribers()) === 0);
  });

  it('does not subscribe to a run it writes: its listeners hear each event once, from the bus', async () => {
    const writer = await instance();
    writer.log.openForWriting(RUN);
    const { heard } = listen(writer.log);

    writer.log.append(deltaOf('one'));
    writer.log.append(deltaOf('two'));
    await writer.log.closeForWriting(RUN);

    expect(ids(heard)).toEqual([1, 2]);
    expect(await subscribers()).toBe(0);
  });

  it('wakes a new listener with the last stored event once Redis has its subscription, so that nothing published before is missed', async () => {
    const writer = await instance();
    writer.log.openForWriting(RUN);
    writer.log.append(deltaOf('one'));
    writer.log.append(deltaOf('two'));
    await writer.log.closeForWriting(RUN);
    const reader = await instance();

    const { heard } = listen(reader.log);

    await until(() => heard.length > 0);
    expect(ids(heard)).toEqual([2]);
  });

  it('wakes its listeners again when its subscriber is back after an outage, with what was stored meanwhile', async () => {
    const writer = await instance();
    const reader = await instance(proxy.url);
    const { heard } = listen(reader.log);
    await until(async () => (await subscribers()) === 1);
    writer.log.openForWriting(RUN);
    writer.log.append(deltaOf('before the outage'));
    await until(() => heard.length === 1);

    await proxy.cut();
    writer.log.append(deltaOf('during'));
    writer.log.append(deltaOf('the outage'));
    await writer.log.closeForWriting(RUN);
    expect(ids(heard)).toEqual([1]);
    await proxy.restore();

    await until(() => heard.length === 2);
    expect(ids(heard)).toEqual([1, 3]);
    // What it missed is read from the store, what it heard after from memory.
    const reads = jest.spyOn(store, 'readEvents');
    expect(ids(await reader.log.readAfter(RUN, 1))).toEqual([2, 3]);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await reader.log.readAfter(RUN, 3)).toEqual([]);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('publishes a run’s latest event again once Redis is back, when its publication failed', async () => {
    const writer = await instance(proxy.url);
    const reader = await instance();
    const { heard } = listen(reader.log);
    await until(async () => (await subscribers()) === 1);
    writer.log.openForWriting(RUN);

    await proxy.cut();
    await until(() => writer.connections.commands.status !== 'ready');
    writer.log.append(deltaOf('one'));
    writer.log.append(deltaOf('two'));
    await writer.log.closeForWriting(RUN);
    await proxy.restore();

    await until(() => heard.length === 1);
    expect(ids(heard)).toEqual([2]);
  });
});

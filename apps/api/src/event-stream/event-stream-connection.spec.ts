import 'reflect-metadata';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openSse, readSse } from '../../test/sse-client';
import { loadConfig } from '../config/load-config';
import { EventStreamConnection, type EventStreamTimings } from './event-stream-connection';
import { insertScratchRun, openScratchLog } from '../../test/store/scratch-store';
import type { StoredWorkflowEventLog } from '../event-log/stored-workflow-event-log';
import type { SqliteRunStore } from '../store/sqlite/sqlite-run-store';
import { workflowEventChannel } from '../event-log/workflow-event-channel';
import { WorkflowEventEmitter } from '../event-log/workflow-event-emitter.service';

const RUN = '5b1f7c2e-3d4a-4e5f-8a6b-7c8d9e0f1a2b';
/** Far more than the socket buffers of the loopback take, so that a client that does not read backs up. */
const BIG_DELTA = 'x'.repeat(16_000);

describe(EventStreamConnection.name, () => {
  let bus: EventEmitter2;
  let store: SqliteRunStore;
  let log: StoredWorkflowEventLog;
  let emitter: WorkflowEventEmitter;
  let server: Server;
  let url: string;
  let timings: EventStreamTimings;
  let closed: Promise<unknown>[];

  beforeEach(async () => {
    ({ store, bus, log } = await openScratchLog());
    emitter = new WorkflowEventEmitter(log, loadConfig({}).limits);
    await insertScratchRun(store, RUN);
    log.openForWriting(RUN);
    timings = {
      retryMs: 1_500,
      heartbeatMs: 60_000,
      closeAfterMs: 60_000,
      maxPendingBytes: 64 * 1024 * 1024,
    };
    closed = [];
    server = createServer((request, response) => {
      closed.push(once(response, 'close'));
      new EventStreamConnection(log, RUN, Number(request.headers['last-event-id'] ?? 0), response, timings);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await Promise.all(closed);
    await store.close();
  });

  const delta = (content = 'x') => emitter.emit(RUN, 'llm_response', { content });
  const complete = () => emitter.emit(RUN, 'complete', { content: 'done' });
  const listeners = () => bus.listenerCount(workflowEventChannel(RUN));

  /** A client over plain `http` that reads the body as it comes, or stops reading when told to. */
  async function rawClient(paused = false) {
    const request = get(url);
    const [response] = (await once(request, 'response')) as [IncomingMessage];
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (body += chunk));
    if (paused) response.pause();
    const ended = new Promise<'ended' | 'dropped'>((resolve) => {
      response.on('end', () => resolve('ended'));
      response.on('aborted', () => resolve('dropped'));
      response.on('error', () => resolve('dropped'));
    });
    return { status: response.statusCode, body: () => body, ended, resume: () => response.resume() };
  }

  it('writes the retry hint, the events so far, then the live ones, each as the bytes the log framed, and ends after the terminal event', async () => {
    delta('a');
    delta('b');
    const client = await rawClient();
    delta('c');
    complete();

    await expect(client.ended).resolves.toBe('ended');
    const frames = (await log.readAfter(RUN, 0)).map((entry) => entry.frame.toString('utf8'));
    expect(client.body()).toBe(`retry: 1500
${frames.join('')}`);
    expect(listeners()).toBe(0);
  });

  it('resumes after the id the client had, with only the events after it', async () => {
    delta();
    delta();
    delta();
    complete();

    const session = await readSse(url, { 'last-event-id': '2' });

    expect(session.events.map((event) => event.id)).toEqual([3, 4]);
  });

  it('gives a client that stopped reading every event once and in order when it reads again', async () => {
    delta();
    const client = await rawClient(true);
    for (let index = 0; index < 600; index++) delta(BIG_DELTA);
    complete();

    client.resume();

    await expect(client.ended).resolves.toBe('ended');
    const ids = [...client.body().matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids).toEqual(Array.from({ length: 602 }, (_, index) => index + 1));
  });

  it('drops a client that leaves more than maxPendingBytes of live events unread, and stops listening', async () => {
    timings.maxPendingBytes = 256 * 1024;
    const client = await rawClient(true);

    for (let index = 0; index < 300; index++) delta(BIG_DELTA);

    await expect(client.ended).resolves.toBe('dropped');
    expect(listeners()).toBe(0);
  });

  it('sends heartbeat comments while the run is quiet', async () => {
    timings.heartbeatMs = 100;
    const session = await openSse(url);

    while (session.comments.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    complete();

    await expect(session.finished).resolves.toBe('ended');
    expect(session.events.map((event) => event.type)).toEqual(['complete']);
  });

  it('answers 200 before the run has an event, and dispatches no message without data: the retry hint and the heartbeats end no block', async () => {
    timings.heartbeatMs = 50;
    const client = await rawClient();
    expect(client.status).toBe(200);
    const heartbeats = () =>
      client
        .body()
        .split('\n')
        .filter((line) => line.startsWith(':')).length;

    while (heartbeats() < 2) await new Promise((resolve) => setTimeout(resolve, 25));
    delta('a');
    while (heartbeats() < 4) await new Promise((resolve) => setTimeout(resolve, 25));
    complete();

    await expect(client.ended).resolves.toBe('ended');
    expect(client.body()).toMatch(/^retry: 1500\n/);
    const blocks = blocksDispatchedAtEveryBlankLine(client.body());
    expect(blocks.map((block) => block.filter((line) => line.startsWith('event:')))).toEqual([
      ['event: llm_response'],
      ['event: complete'],
    ]);
    for (const block of blocks) expect(block.some((line) => line.startsWith('data: {'))).toBe(true);
  });

  it('ends a stream that outlives closeAfterMs before the run ends, and stops listening', async () => {
    timings.closeAfterMs = 200;
    delta();

    const session = await readSse(url);

    expect(session.events.map((event) => event.id)).toEqual([1]);
    expect(listeners()).toBe(0);
  });

  it('stops listening when the client goes away', async () => {
    const session = await openSse(url);
    expect(listeners()).toBe(1);

    session.abort();
    await Promise.all(closed);

    expect(listeners()).toBe(0);
  });
});

/**
 * The blocks `body` dispatches under the rule of fetch-event-source's parser: every blank line ends
 * one, whatever it holds (comments included). A last line without its newline is not read yet.
 */
function blocksDispatchedAtEveryBlankLine(body: string): string[][] {
  const blocks: string[][] = [];
  let block: string[] = [];
  for (const line of body.split(/\r\n|\r|\n/).slice(0, -1)) {
    if (line !== '') block.push(line);
    else {
      blocks.push(block);
      block = [];
    }
  }
  return blocks;
}

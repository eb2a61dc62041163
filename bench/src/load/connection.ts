// One SSE client over a raw socket: parses chunked encoding and counts events and heartbeats in the
// body bytes without decoding them; in `latency` mode it also reads, from each llm_response event,
// the time stamp the fake model put in the token and records how long before the bytes arrived it was taken.
import { connect, type Socket } from 'node:net';
import { nowMs } from '../clock.ts';
import type { StreamMode, StreamTarget } from './protocol.ts';

const NL = 0x0a;
const COLON = 0x3a;
/** Latency histogram: 10 µs buckets up to 1 s, then one overflow bucket. */
export const BUCKET_MS = 0.01;
export const BUCKETS = 100_001;
/** What precedes the fake model's time stamp in an llm_response event, and only there. */
const STAMP = Buffer.from('"type":"llm_response","data":{"content":"t');

export class Connection {
  readonly startedAt = nowMs();
  status = 0;
  /** Blocks ended by a blank line: only an event's frame ends in one (the retry hint and heartbeats do not). */
  events = 0;
  heartbeats = 0;
  readyAt: number | undefined;
  firstEventAt: number | undefined;
  endedAt: number | undefined;
  markEvents = 0;
  error: string | undefined;
  readonly socket: Socket;
  private settled = false;
  private head: Buffer | undefined = Buffer.alloc(0);
  private chunk = { left: -1, size: '' }; // chunked-encoding state: -1 reading a size line
  /** The bytes of the body's current line seen so far, and its first one. */
  private line = { length: 0, first: 0 };
  private tail = Buffer.alloc(0);
  private readonly mode: StreamMode;
  private readonly readyEvents: number;
  private readonly onSettled: (connection: Connection) => void;
  private readonly onEnded: () => void;
  private readonly latencyHistogram: () => Uint32Array;

  constructor(
    target: StreamTarget,
    localAddress: string,
    options: {
      mode: StreamMode;
      readyEvents: number;
      onSettled: (connection: Connection) => void;
      onEnded: () => void;
      latencyHistogram: () => Uint32Array;
    },
  ) {
    this.mode = options.mode;
    this.readyEvents = options.readyEvents;
    this.onSettled = options.onSettled;
    this.onEnded = options.onEnded;
    this.latencyHistogram = options.latencyHistogram;
    this.socket = connect({ host: target.host, port: target.port, localAddress });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => this.socket.write(requestOf(target)));
    this.socket.on('data', (data) => this.onData(data));
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.fail(error.code ?? error.message));
    this.socket.on('close', () => this.endedAt ?? this.fail('closed'));
  }

  private onData(data: Buffer): void {
    const at = nowMs();
    if (this.head) {
      this.head = Buffer.concat([this.head, data]);
      const end = this.head.indexOf('\r\n\r\n');
      if (end === -1) return;
      this.status = Number(this.head.toString('latin1', 9, 12));
      data = this.head.subarray(end + 4);
      this.head = undefined;
      if (this.status !== 200) return this.finish(at);
      // The headers are the stream's opening: the retry hint completes no message.
      if (this.readyEvents === 0) this.ready(at);
    }
    this.dechunk(data, at);
  }

  /** Walks the chunked encoding and hands each piece of the body on; a zero-size chunk ends it. */
  private dechunk(data: Buffer, at: number): void {
    let offset = 0;
    while (offset < data.length && this.endedAt === undefined) {
      const state = this.chunk;
      if (state.left === -1) {
        const lineEnd = data.indexOf(NL, offset);
        if (lineEnd === -1) {
          state.size += data.toString('latin1', offset);
          return;
        }
        state.size += data.toString('latin1', offset, lineEnd);
        offset = lineEnd + 1;
        const size = parseInt(state.size, 16);
        state.size = '';
        if (Number.isNaN(size)) continue; // the CRLF that closes the previous chunk
        if (size === 0) return this.finish(at);
        state.left = size;
      } else {
        const piece = data.subarray(offset, Math.min(data.length, offset + state.left));
        offset += piece.length;
        state.left -= piece.length;
        if (state.left === 0) state.left = -1;
        if (this.mode === 'latency') this.latency(piece, at);
        this.count(piece, at);
      }
    }
  }

  /** Counts events (a blank line ends each) and heartbeats (comment lines, `:`), line by line. */
  private count(piece: Buffer, at: number): void {
    const line = this.line;
    let from = 0;
    for (let end = piece.indexOf(NL); end !== -1; end = piece.indexOf(NL, from)) {
      const first = line.length > 0 ? line.first : piece[from];
      if (line.length + end - from === 0) this.onEvent(at);
      else if (first === COLON) this.heartbeats++;
      line.length = 0;
      from = end + 1;
    }
    if (from < piece.length) {
      if (line.length === 0) line.first = piece[from];
      line.length += piece.length - from;
    }
  }

  /**
   * Finds the time stamp in each llm_response event (`"content":"t<ns> "`) without decoding the
   * body: the bytes are scanned as they come, keeping a tail in case a stamp spans two reads.
   */
  private latency(piece: Buffer, at: number): void {
    const bytes = this.tail.length > 0 ? Buffer.concat([this.tail, piece]) : piece;
    const histogram = this.latencyHistogram();
    let from = 0;
    for (let i = bytes.indexOf(STAMP, from); i !== -1; i = bytes.indexOf(STAMP, from)) {
      let end = i + STAMP.length;
      let ns = 0;
      while (end < bytes.length && bytes[end] >= 0x30 && bytes[end] <= 0x39)
        ns = ns * 10 + bytes[end++] - 0x30;
      if (end === bytes.length) break; // the stamp goes on in the next read
      const latency = at - ns / 1e6;
      histogram[Math.min(BUCKETS - 1, Math.max(0, Math.round(latency / BUCKET_MS)))]++;
      from = end;
    }
    // A copy: a view would keep the whole read buffer alive.
    this.tail = Buffer.from(bytes.subarray(Math.max(from, bytes.length - STAMP.length - 20)));
  }

  private onEvent(at: number): void {
    this.events++;
    this.firstEventAt ??= at;
    if (this.readyAt === undefined && this.events >= this.readyEvents) this.ready(at);
  }

  private ready(at: number): void {
    this.readyAt = at;
    this.settle();
  }

  private finish(at: number): void {
    this.endedAt = at;
    this.settle();
    this.socket.destroy();
    this.onEnded();
  }

  private fail(reason: string): void {
    this.error ??= reason;
    if (this.endedAt === undefined) this.finish(nowMs());
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettled(this);
  }
}

function requestOf({ host, port, path, headers = {} }: StreamTarget): string {
  const lines = [`GET ${path} HTTP/1.1`, `Host: ${host}:${port}`, 'Accept: text/event-stream'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

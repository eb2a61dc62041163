// One process of the load generator: holds SSE client connections over raw sockets and reports what
// they received. Driven over IPC by load-generator.mjs; every answer carries the command's `seq`.
//
// Commands: open {targets, count, first, mode, readyMessages, addresses}, mark, wait {timeoutMs},
// report, close, cpu. Times are milliseconds of process.hrtime (CLOCK_MONOTONIC, the same clock in
// every process of the machine), so they compare with the bench's and the fake model's.
//
// Every connection counts messages and heartbeats in the body bytes, without decoding them; in
// `latency` mode it also reads, from each llm_response event, the time stamp the fake model put in
// the token, and records how long before the bytes arrived it was taken.
import { connect } from 'node:net';

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const NL = 0x0a;
const COLON = 0x3a;
/** Latency histogram: 10 µs buckets up to 1 s, then one overflow bucket. */
const BUCKET_MS = 0.01;
const BUCKETS = 100_001;
/** What precedes the fake model's time stamp in an llm_response event, and only there. */
const STAMP = Buffer.from('"type":"llm_response","data":{"content":"t');
/** Connections a worker has in the middle of connecting at once, to stay under the listen backlog. */
const CONNECTING_AT_ONCE = 200;

let connections = [];
let histogram = new Uint32Array(BUCKETS);
const waiters = new Set();

class Connection {
  constructor(target, localAddress, mode, readyMessages, onSettled) {
    Object.assign(this, { target, mode, readyMessages, onSettled });
    this.startedAt = nowMs();
    this.status = 0;
    this.messages = 0;
    this.heartbeats = 0;
    this.readyAt = this.firstEventAt = this.endedAt = undefined;
    this.markEvents = 0;
    this.settled = false;
    this.error = undefined;
    this.head = Buffer.alloc(0);
    this.chunk = { left: -1, size: '' }; // chunked-encoding state: -1 reading a size line
    this.endedWithNewline = false;
    this.atMessageStart = true;
    this.tail = Buffer.alloc(0);
    this.socket = connect({ host: target.host, port: target.port, localAddress });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => this.socket.write(requestOf(target)));
    this.socket.on('data', (data) => this.onData(data));
    this.socket.on('error', (error) => this.fail(error.code ?? error.message));
    this.socket.on('close', () => this.endedAt ?? this.fail('closed'));
  }

  get events() {
    return this.messages - this.heartbeats - 1; // the first message is the retry hint
  }

  onData(data) {
    const at = nowMs();
    if (!this.status) {
      this.head = Buffer.concat([this.head, data]);
      const end = this.head.indexOf('\r\n\r\n');
      if (end === -1) return;
      this.status = Number(this.head.toString('latin1', 9, 12));
      data = this.head.subarray(end + 4);
      this.head = undefined;
      if (this.status !== 200) return this.finish(at);
    }
    this.dechunk(data, at);
  }

  /** Walks the chunked encoding and hands each piece of the body on; a zero-size chunk ends it. */
  dechunk(data, at) {
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

  /** Counts messages (ended by a blank line) and heartbeats (messages that start with `:`). */
  count(piece, at) {
    let from = 0;
    if (this.atMessageStart && piece.length > 0) {
      if (piece[0] === COLON) this.heartbeats++;
      this.atMessageStart = false;
    }
    if (this.endedWithNewline && piece[0] === NL) {
      this.onMessage(at);
      from = 1;
      this.startMessage(piece, from);
    }
    for (let i = piece.indexOf('\n\n', from); i !== -1; i = piece.indexOf('\n\n', from)) {
      this.onMessage(at);
      from = i + 2;
      this.startMessage(piece, from);
    }
    this.endedWithNewline = from < piece.length && piece[piece.length - 1] === NL;
  }

  startMessage(piece, at) {
    if (at < piece.length) {
      if (piece[at] === COLON) this.heartbeats++;
    } else {
      this.atMessageStart = true;
    }
  }

  /**
   * Finds the time stamp in each llm_response event (`"content":"t<ns> "`) without decoding the
   * body: the bytes are scanned as they come, keeping a tail in case a stamp spans two reads.
   */
  latency(piece, at) {
    const bytes = this.tail.length > 0 ? Buffer.concat([this.tail, piece]) : piece;
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

  onMessage(at) {
    this.messages++;
    if (this.firstEventAt === undefined && this.events >= 1) this.firstEventAt = at;
    if (this.readyAt === undefined && this.messages >= this.readyMessages) {
      this.readyAt = at;
      this.settle();
    }
  }

  finish(at) {
    this.endedAt = at;
    this.settle();
    this.socket.destroy();
    notifyWaiters();
  }

  fail(reason) {
    this.error ??= reason;
    if (this.endedAt === undefined) this.finish(nowMs());
  }

  settle() {
    if (this.settled) return;
    this.settled = true;
    this.onSettled(this);
  }
}

function requestOf({ host, port, path, headers = {} }) {
  const lines = [`GET ${path} HTTP/1.1`, `Host: ${host}:${port}`, 'Accept: text/event-stream'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Opens `count` connections over the targets in turn; resolves once each is ready or has failed. */
function open({ targets, count, first = 0, mode = 'count', readyMessages = 1, addresses = ['127.0.0.1'] }) {
  return new Promise((resolve) => {
    let started = 0;
    let settled = 0;
    const opened = [];
    const startNext = () => {
      while (started < count && started - settled < CONNECTING_AT_ONCE) {
        const k = first + started++;
        const connection = new Connection(
          targets[k % targets.length],
          addresses[k % addresses.length],
          mode,
          readyMessages,
          onSettled,
        );
        opened.push(connection);
        connections.push(connection);
      }
    };
    const onSettled = () => {
      settled++;
      if (settled === count) resolve(summary(opened));
      else startNext();
    };
    if (count === 0) resolve(summary(opened));
    else startNext();
  });
}

function notifyWaiters() {
  for (const waiter of waiters) waiter();
}

function wait({ timeoutMs }) {
  return new Promise((resolve) => {
    const done = () => {
      if (connections.some((c) => c.endedAt === undefined)) return;
      clearTimeout(timer);
      waiters.delete(done);
      resolve(summary(connections));
    };
    const timer = setTimeout(() => {
      waiters.delete(done);
      resolve(summary(connections));
    }, timeoutMs);
    waiters.add(done);
    done();
  });
}

function summary(list) {
  const statuses = {};
  const errors = {};
  let ready = 0;
  let ended = 0;
  let open = 0;
  let events = 0;
  let eventsSinceMark = 0;
  let heartbeats = 0;
  let lastEndedAt = 0;
  for (const c of list) {
    statuses[c.status] = (statuses[c.status] ?? 0) + 1;
    if (c.error) errors[c.error] = (errors[c.error] ?? 0) + 1;
    if (c.readyAt !== undefined) ready++;
    if (c.readyAt !== undefined && c.endedAt === undefined) open++;
    if (c.endedAt !== undefined) {
      ended++;
      if (!c.error) lastEndedAt = Math.max(lastEndedAt, c.endedAt);
    }
    events += Math.max(0, c.events);
    eventsSinceMark += Math.max(0, c.events) - c.markEvents;
    heartbeats += c.heartbeats;
  }
  const timings =
    list.length <= 100
      ? list.map((c) => ({
          startedAt: c.startedAt,
          firstEventAt: c.firstEventAt,
          endedAt: c.endedAt,
          events: c.events,
        }))
      : undefined;
  return {
    connections: list.length,
    ready,
    ended,
    open,
    statuses,
    errors,
    events,
    eventsSinceMark,
    heartbeats,
    lastEndedAt,
    timings,
  };
}

function sparseHistogram() {
  const entries = [];
  for (let i = 0; i < BUCKETS; i++) if (histogram[i]) entries.push([i * BUCKET_MS, histogram[i]]);
  return entries;
}

const commands = {
  open,
  mark: () => {
    for (const c of connections) c.markEvents = Math.max(0, c.events);
    histogram = new Uint32Array(BUCKETS);
    return { marked: connections.length };
  },
  wait,
  report: () => ({ ...summary(connections), latency: sparseHistogram() }),
  close: () => {
    for (const c of connections) {
      c.endedAt ??= nowMs();
      c.socket.destroy();
    }
    connections = [];
    histogram = new Uint32Array(BUCKETS);
    return { closed: true };
  },
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return { cpuSeconds: (user + system) / 1e6 };
  },
};

process.on('message', async ({ seq, cmd, ...args }) => {
  try {
    process.send({ seq, result: await commands[cmd](args) });
  } catch (error) {
    process.send({ seq, error: error.stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });

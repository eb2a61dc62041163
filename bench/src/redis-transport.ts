// node bench/src/redis-transport.ts [--messages n] (REDIS_URL, default redis://127.0.0.1:6379)
//
// How a batch of frames gets from the instance that stores it to the others, measured both ways the
// issue names: pub/sub on a channel per run (what the live feed uses) against a Redis stream per run
// (XADD, and XREAD BLOCK on the reader's connection). Paced messages of one frame's size, one run at a
// time; the latency from the writer's send to the reader's receipt (same clock), and Redis's own CPU
// seconds (INFO cpu) per 10,000 messages. Its keys are under a prefix of its own, deleted after.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { nowMs } from './clock.ts';

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '5000' }, reps: { type: 'string', default: '3' } },
});
const MESSAGES = Number(values.messages);
const REPS = Number(values.reps);
const url = process.env['REDIS_URL']?.trim() || 'redis://127.0.0.1:6379';
const prefix = `issuecast-bench-transport-${randomBytes(6).toString('hex')}:`;
/** About the size of one token's SSE frame. */
const PADDING = 'x'.repeat(180);
const PACE_MS = 1;

interface Transport {
  name: string;
  /** Starts reading; resolves once the reader is listening. */
  listen(onMessage: (sentAt: number) => void): Promise<void>;
  send(sentAt: number): Promise<unknown>;
  close(): Promise<void>;
}

function pubSub(run: string): Transport {
  const [writer, reader] = [new Redis(url), new Redis(url)];
  const channel = `${prefix}events:${run}`;
  return {
    name: 'pub/sub',
    async listen(onMessage) {
      reader.on('messageBuffer', (_channel: Buffer, message: Buffer) =>
        onMessage(Number(message.toString('latin1', 0, 20))),
      );
      await reader.subscribe(channel);
    },
    send: (sentAt) => writer.publish(channel, `${sentAt.toFixed(6).padStart(20)}${PADDING}`),
    close: async () => void (await Promise.all([writer.quit(), reader.quit()])),
  };
}

function streams(run: string): Transport {
  const [writer, reader] = [new Redis(url), new Redis(url)];
  const key = `${prefix}stream:${run}`;
  let reading = true;
  return {
    name: 'streams',
    async listen(onMessage) {
      let last = '$';
      void (async () => {
        while (reading) {
          const answer = await reader.xreadBuffer('BLOCK', 1_000, 'STREAMS', key, last);
          for (const [, entries] of answer ?? []) {
            for (const [id, fields] of entries) {
              last = id.toString();
              onMessage(Number(fields[1].toString('latin1', 0, 20)));
            }
          }
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    send: (sentAt) =>
      writer.xadd(key, 'MAXLEN', '~', '10000', '*', 'f', `${sentAt.toFixed(6).padStart(20)}${PADDING}`),
    close: async () => {
      reading = false;
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await Promise.all([writer.quit(), reader.quit()]);
    },
  };
}

async function redisCpuSeconds(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return field('used_cpu_sys') + field('used_cpu_user');
}

const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];

const admin = new Redis(url);
try {
  console.log(
    `${MESSAGES} messages of ${PADDING.length + 20} bytes, one every ${PACE_MS} ms, ${REPS} reps each, alternating`,
  );
  for (let rep = 0; rep < REPS; rep++) {
    for (const make of rep % 2 === 0 ? [pubSub, streams] : [streams, pubSub]) {
      const transport = make(`run-${rep}`);
      const latencies: number[] = [];
      let received!: () => void;
      const all = new Promise<void>((resolve) => (received = resolve));
      await transport.listen((sentAt) => {
        latencies.push(nowMs() - sentAt);
        if (latencies.length === MESSAGES) received();
      });
      const cpu0 = await redisCpuSeconds(admin);
      for (let sent = 0; sent < MESSAGES; sent++) {
        void transport.send(nowMs());
        await new Promise((resolve) => setTimeout(resolve, PACE_MS));
      }
      await all;
      const cpu = (await redisCpuSeconds(admin)) - cpu0;
      await transport.close();
      latencies.sort((a, b) => a - b);
      console.log(
        `${transport.name.padEnd(8)} rep ${rep + 1}: p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms; ` +
          `Redis CPU ${((cpu / MESSAGES) * 10_000).toFixed(3)} s per 10,000 messages`,
      );
    }
  }
} finally {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.unlink(...keys);
  await admin.quit();
}

// A fake OpenAI Chat Completions server that feeds both the API and the raw server, so that their
// token events come from the same source at the same pace.
//
// A request carries its script in the prompt: `BENCH[key=<k> tokens=<n> interval=<ms> hold=<0|1>]`.
// Each token's text is `t<ns> ` where <ns> is process.hrtime.bigint() (CLOCK_MONOTONIC, shared by
// every process of the machine) read just before the chunk is written: the clients subtract it from
// their own clock to get the emit-to-receive latency. A held request streams nothing until
// `POST /release` names its key.
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '../clock.ts';

const DIRECTIVE = /BENCH\[key=([\w-]+) tokens=(\d+) interval=(\d+) hold=([01])\]/;

const held = new Map<string, () => void>(); // key -> start()
const released = new Set<string>(); // keys released before their request arrived
let answers = 0;

const server = createServer((request, response) => {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => {
    const body = Buffer.concat(parts).toString('utf8');
    if (request.method === 'POST' && request.url === '/release')
      return release(JSON.parse(body) as Release, response);
    if (request.method === 'POST' && request.url === '/v1/chat/completions') return answer(body, response);
    response.writeHead(404).end();
  });
});

interface Release {
  keys: string[];
  spreadMs?: number;
}

function release({ keys, spreadMs = 0 }: Release, response: ServerResponse): void {
  for (const key of keys) {
    const start = held.get(key);
    held.delete(key);
    const go = start ?? (() => released.add(key));
    // Spread the starts so that paced runs do not all tick in the same millisecond.
    if (spreadMs > 0) setTimeout(go, Math.random() * spreadMs);
    else go();
  }
  response.writeHead(204).end();
}

function answer(body: string, response: ServerResponse): void {
  const match = DIRECTIVE.exec(body);
  if (!match) {
    response.writeHead(400).end('no BENCH[...] directive in the prompt');
    return;
  }
  const [, key, tokens, interval, hold] = match;
  const id = `chatcmpl-bench-${++answers}`;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.flushHeaders();
  response.socket?.setNoDelay(true);
  const start = (): void => void stream(response, id, Number(tokens), Number(interval));
  if (hold === '1' && !released.delete(key)) held.set(key, start);
  else start();
  response.on('close', () => held.delete(key));
}

async function stream(
  response: ServerResponse,
  id: string,
  tokens: number,
  intervalMs: number,
): Promise<void> {
  const startedAt = performance.now();
  for (let n = 0; n < tokens && !response.destroyed; n++) {
    if (intervalMs > 0) {
      // Paced against the start, so that timer lateness does not add up.
      const wait = startedAt + n * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const content = `t${process.hrtime.bigint()} `;
    if (!response.write(chunk(id, n === 0 ? { role: 'assistant', content } : { content }, null))) {
      await once(response, 'drain');
    }
  }
  if (response.destroyed) return;
  response.write(chunk(id, {}, 'stop'));
  response.end('data: [DONE]\n\n');
}

function chunk(id: string, delta: object, finishReason: string | null): string {
  const choice = { index: 0, delta, logprobs: null, finish_reason: finishReason };
  const body = {
    id,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'bench',
    choices: [choice],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  process.send?.({ listening: (server.address() as AddressInfo).port });
});

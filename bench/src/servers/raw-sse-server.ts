// The baseline: what plain node:http does with the same work and no framework. A run asks the same
// fake model for tokens, builds the same WorkflowEvents, serializes each one once into its SSE
// message (a Buffer shared by every client), keeps the log for replay and resume, and writes each
// message to every client with one res.write(). No auth, validation or logging.
//
//   POST /runs {issue: {title, body}} -> 202 {workflowId}
//   GET  /runs/:id/events         -> the SSE stream (Last-Event-ID or ?lastEventId=)
//   GET  /runs/:id                -> {status, lastEventId}
//
// Env: PORT, HOST, MODEL_URL (…/v1), SSE_HEARTBEAT_MS, SSE_RETRY_MS, WORKFLOW_RETENTION_MS.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const { PORT = '0', HOST = '127.0.0.1', MODEL_URL } = process.env;
const HEARTBEAT_MS = Number(process.env['SSE_HEARTBEAT_MS'] ?? 15_000);
const RETRY_MS = Number(process.env['SSE_RETRY_MS'] ?? 3_000);
const RETENTION_MS = Number(process.env['WORKFLOW_RETENTION_MS'] ?? 3_600_000);
const HEARTBEAT = Buffer.from(':\n');
const HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

interface Run {
  id: string;
  /** Each event's SSE message, encoded once. */
  messages: Buffer[];
  clients: Set<ServerResponse>;
  ended: boolean;
}

const runs = new Map<string, Run>();

const server = createServer((req, res) => {
  const [path, query = ''] = (req.url ?? '/').split('?');
  const [, runsSegment, id, tail] = path.split('/');
  if (runsSegment !== 'runs') return send(res, 404, {});
  if (req.method === 'POST' && !id) return startRun(req, res);
  const run = runs.get(id);
  if (!run) return send(res, 404, {});
  if (req.method === 'GET' && tail === 'events') return follow(run, req, res, query);
  if (req.method === 'GET' && !tail)
    return send(res, 200, { status: run.ended ? 'completed' : 'running', lastEventId: run.messages.length });
  send(res, 404, {});
});

function startRun(req: IncomingMessage, res: ServerResponse): void {
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    const { issue } = JSON.parse(Buffer.concat(parts).toString('utf8')) as {
      issue: { title: string; body?: string };
    };
    const { title, body = '' } = issue;
    const run: Run = { id: randomUUID(), messages: [], clients: new Set(), ended: false };
    runs.set(run.id, run);
    emit(run, 'status', { step: 'queued', content: 'Queued' });
    emit(run, 'status', { step: 'drafting', content: 'Drafting the comment' });
    draft(run, `Title: ${title}\nBody:\n${body}`);
    send(res, 202, { workflowId: run.id, eventsUrl: `/runs/${run.id}/events`, status: 'queued' });
  });
}

function follow(run: Run, req: IncomingMessage, res: ServerResponse, query: string): void {
  const fromQuery = Number(new URLSearchParams(query).get('lastEventId') ?? 0);
  const afterId = Math.max(Number(req.headers['last-event-id'] ?? 0) || 0, fromQuery || 0);
  if (run.ended && afterId >= run.messages.length) {
    res.writeHead(204).end();
    return;
  }
  req.socket.setNoDelay(true);
  res.writeHead(200, HEADERS);
  res.write(`retry: ${RETRY_MS}\n`);
  for (let i = afterId; i < run.messages.length; i++) res.write(run.messages[i]);
  if (run.ended) {
    res.end();
    return;
  }
  run.clients.add(res);
  const heartbeat = setInterval(() => res.write(HEARTBEAT), HEARTBEAT_MS);
  res.on('close', () => {
    clearInterval(heartbeat);
    run.clients.delete(res);
  });
}

/** The SSE name the API gives an event type: a failure is `run_error`, never EventSource's own `error`. */
function sseName(type: string): string {
  return type === 'error' ? 'run_error' : type;
}

function emit(run: Run, type: string, data: Record<string, unknown>): void {
  const id = run.messages.length + 1;
  const event = { id, workflowId: run.id, type, data, timestamp: new Date().toISOString() };
  const message = Buffer.from(`event: ${sseName(type)}\nid: ${id}\ndata: ${JSON.stringify(event)}\n\n`);
  run.messages.push(message);
  for (const res of run.clients) res.write(message);
  if (type === 'complete' || type === 'error') {
    run.ended = true;
    for (const res of run.clients) res.end();
    run.clients.clear();
    setTimeout(() => runs.delete(run.id), RETENTION_MS).unref();
  }
}

/** Streams the model's answer (Chat Completions, SSE) into llm_response events, then complete. */
function draft(run: Run, prompt: string): void {
  const body = JSON.stringify({
    model: 'bench',
    stream: true,
    messages: [{ role: 'user', content: prompt }],
  });
  const modelRequest = httpRequest(`${MODEL_URL ?? ''}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  let comment = '';
  let pending = '';
  const fail = (error: Error): void => {
    if (!run.ended)
      emit(run, 'error', { content: String(error.message), code: 'llm_failed', retryable: true });
  };
  modelRequest.on('response', (modelResponse) => {
    if (modelResponse.statusCode !== 200)
      return fail(new Error(`The model answered ${modelResponse.statusCode}`));
    modelResponse.setEncoding('utf8');
    modelResponse.on('data', (text: string) => {
      const lines = (pending + text).split('\n\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('data: ')) continue;
        if (line === 'data: [DONE]') return emit(run, 'complete', { content: comment });
        const chunk = JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] };
        const content = chunk.choices[0]?.delta?.content;
        if (content) {
          comment += content;
          emit(run, 'llm_response', { content });
        }
      }
    });
    modelResponse.on('error', fail);
  });
  modelRequest.on('error', fail);
  modelRequest.end(body);
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

server.keepAliveTimeout = 60_000;
server.listen(Number(PORT), HOST, () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ listening: port });
  if (!process.send) console.log(`raw SSE server on http://${HOST}:${port}`);
});
// A normal exit, so that --cpu-prof writes its profile.
process.on('SIGTERM', () => process.exit(0));

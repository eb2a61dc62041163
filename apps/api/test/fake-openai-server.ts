import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tool call the fake model makes; `arguments` is sent as JSON unless it is a string already. */
export interface FakeToolCall {
  name: string;
  arguments: Record<string, unknown> | string;
  /** `call_<n>` by default, numbered across the server's answers. */
  id?: string;
}

/** What the fake server does with one request to `POST /v1/chat/completions`. */
export type FakeOpenAiAnswer =
  | {
      kind: 'stream';
      /** The `delta.content` of each chunk, in order. */
      deltas: readonly string[];
      /**
       * Tool calls after the deltas, streamed as OpenAI does: a chunk with the call's `index`, `id`,
       * `type` and `function.name`, then its `function.arguments` a few characters per chunk; the
       * answer then finishes with `finish_reason: 'tool_calls'`.
       */
      toolCalls?: readonly FakeToolCall[];
      /** Pause before each chunk. */
      chunkDelayMs?: number;
      /** After the deltas: finish normally, destroy the socket, or send nothing more and never end. */
      end?: 'done' | 'cut' | 'stall';
      /**
       * The token counts of the usage chunk sent last when the request asks for it
       * (`stream_options.include_usage`); by default a quarter of the request's length, and a token per chunk.
       */
      usage?: { promptTokens: number; completionTokens: number };
    }
  | {
      kind: 'error';
      status: number;
      message?: string;
      /** The `error.code` of the body, e.g. `model_not_found` or `insufficient_quota`. */
      code?: string;
    };

/** A streamed answer with these deltas; see `FakeOpenAiAnswer` for the options. */
export function streamAnswer(
  deltas: readonly string[],
  options: Omit<Extract<FakeOpenAiAnswer, { kind: 'stream' }>, 'kind' | 'deltas'> = {},
): FakeOpenAiAnswer {
  return { kind: 'stream', deltas, ...options };
}

/** An answer in which the model calls these tools (in parallel when several) and writes nothing. */
export function toolCallsAnswer(...calls: FakeToolCall[]): FakeOpenAiAnswer {
  return { kind: 'stream', deltas: [], toolCalls: calls };
}

/** An answer with this status code and an OpenAI-style JSON error body. */
export function errorAnswer(
  status: number,
  options: { message?: string; code?: string } = {},
): FakeOpenAiAnswer {
  return { kind: 'error', status, ...options };
}

/** How the connection of one request ended, as the server saw it. */
type FakeConnectionEnd = 'completed' | 'closed_by_client' | 'cut_by_server';

/** The subset of a Chat Completions request body that tests usually assert on; other fields are kept too. */
interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  messages?: ChatRequestMessage[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  tool_choice?: unknown;
  stream_options?: { include_usage?: boolean };
  [field: string]: unknown;
}

interface ChatRequestMessage {
  role: string;
  content: unknown;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** How many characters of a tool call's arguments go in one chunk, to split them as OpenAI does. */
const ARGUMENT_CHUNK_CHARS = 7;

/** One request the fake server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or `undefined` when it was not JSON. */
  body: ChatRequestBody | undefined;
  /** Settles once the response is over, however it ended. */
  connectionEnd: Promise<FakeConnectionEnd>;
}

export interface FakeOpenAi {
  /** The base URL to give the SDK, ending in `/v1`. */
  baseUrl: string;
  /** The settings that point the app at this server, with the SDK's retries off. */
  appEnv: Record<string, string>;
  /** Every request received so far, in order of arrival. */
  requests: RecordedRequest[];
  /** Queues answers; each chat completion request takes the next one, then `fallback` when none are left. */
  script(...answers: FakeOpenAiAnswer[]): void;
  close(): Promise<void>;
}

const CHAT_COMPLETIONS_PATH = '/v1/chat/completions';

/**
 * Starts a local server on 127.0.0.1 that speaks the Chat Completions streaming wire format, so tests
 * drive the real `openai` SDK over a real socket. Requests without a scripted answer get `fallback`.
 */
export async function startFakeOpenAi(options: { fallback?: FakeOpenAiAnswer } = {}): Promise<FakeOpenAi> {
  const fallback = options.fallback ?? streamAnswer(['This is ', 'a fake ', 'comment.']);
  const queue: FakeOpenAiAnswer[] = [];
  const requests: RecordedRequest[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();
  let completionCount = 0;
  let toolCallCount = 0;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = parseJson(await readBody(request));
    let end: FakeConnectionEnd = 'closed_by_client';
    const connectionEnd = new Promise<FakeConnectionEnd>((resolve) =>
      response.once('close', () => resolve(end)),
    );
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body,
      connectionEnd,
    });

    if (request.method !== 'POST' || request.url !== CHAT_COMPLETIONS_PATH) {
      sendError(response, 404, {
        message: `The fake OpenAI server does not serve ${request.method} ${request.url}`,
      });
      end = 'completed';
      return;
    }

    const answer = queue.shift() ?? fallback;
    completionCount += 1;
    if (answer.kind === 'error') {
      sendError(response, answer.status, answer);
      end = 'completed';
      return;
    }

    const id = `chatcmpl-fake-${completionCount}`;
    const model = body?.model ?? 'fake-model';
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.flushHeaders();
    const chunks: object[] = answer.deltas.map((delta) => ({ content: delta }));
    for (const [index, call] of (answer.toolCalls ?? []).entries()) {
      const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
      const callId = call.id ?? `call_${++toolCallCount}`;
      chunks.push({
        tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }],
      });
      for (let at = 0; at < args.length; at += ARGUMENT_CHUNK_CHARS) {
        chunks.push({
          tool_calls: [{ index, function: { arguments: args.slice(at, at + ARGUMENT_CHUNK_CHARS) } }],
        });
      }
    }
    for (const [index, delta] of chunks.entries()) {
      if (answer.chunkDelayMs) await pause(answer.chunkDelayMs);
      if (response.destroyed) return;
      // OpenAI opens an answer with the role, and with `content: null` when it starts with a tool call.
      const role = index === 0 ? { role: 'assistant', ...('content' in delta ? {} : { content: null }) } : {};
      await write(response, sseChunk(id, model, { ...role, ...delta }, null));
    }
    switch (answer.end ?? 'done') {
      case 'done':
        response.write(sseChunk(id, model, {}, answer.toolCalls?.length ? 'tool_calls' : 'stop'));
        if (body?.stream_options?.include_usage) {
          const { promptTokens, completionTokens } = answer.usage ?? {
            promptTokens: Math.ceil(JSON.stringify(body.messages ?? []).length / 4),
            completionTokens: chunks.length,
          };
          response.write(usageChunk(id, model, promptTokens, completionTokens));
        }
        response.end('data: [DONE]\n\n');
        end = 'completed';
        return;
      case 'cut':
        end = 'cut_by_server';
        response.socket?.destroy();
        return;
      case 'stall':
        return;
    }
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const baseUrl = `http://127.0.0.1:${port}/v1`;
  return {
    baseUrl,
    appEnv: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: baseUrl, OPENAI_MAX_RETRIES: '0' },
    requests,
    script: (...answers) => {
      queue.push(...answers);
    },
    close: async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

function sseChunk(id: string, model: string, delta: object, finishReason: string | null): string {
  const chunk = {
    id,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The last chunk of a stream that asked for usage: no choices, and the answer's token counts. */
function usageChunk(id: string, model: string, promptTokens: number, completionTokens: number): string {
  const chunk = {
    id,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function sendError(
  response: ServerResponse,
  status: number,
  error: { message?: string; code?: string },
): void {
  const body = {
    error: {
      message: error.message ?? `Fake error with status ${status}`,
      type: status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error',
      param: null,
      code: error.code ?? null,
    },
  };
  // Zero waits keep the SDK's retries fast; it honours these headers on every retried status.
  response.writeHead(status, {
    'content-type': 'application/json',
    'retry-after': '0',
    'retry-after-ms': '0',
  });
  response.end(JSON.stringify(body));
}

/** Resolves once the chunk is handed to the socket, so a cut that follows cannot swallow it. */
function write(response: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => response.write(chunk, () => resolve()));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function parseJson(raw: string): ChatRequestBody | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as ChatRequestBody)
      : undefined;
  } catch {
    return undefined;
  }
}

import 'reflect-metadata';
import type { LlmConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import {
  errorAnswer,
  type FakeOpenAi,
  startFakeOpenAi,
  streamAnswer,
  toolCallsAnswer,
} from '../../test/fake-openai-server';
import { RunFailure } from '../run-failure/run-failure';
import type { IssueToDraft } from './llm-provider';
import { OpenAiLlmProvider } from './openai-llm-provider';
import { REPOSITORY_TOOL_DEFINITIONS } from './repository-tools';
import type { ToolCallRequest, ToolSession } from './tool-session';

/** A tool session that answers every call with `content of <arguments>`, and stops when told to. */
class RecordingSession implements ToolSession {
  readonly definitions = REPOSITORY_TOOL_DEFINITIONS;
  readonly calls: ToolCallRequest[] = [];
  stopReason: string | undefined;

  constructor(private readonly stopAfter = Infinity) {}

  call(request: ToolCallRequest): Promise<string> {
    this.calls.push(request);
    if (this.calls.length >= this.stopAfter) this.stopReason = 'the limit of 1 tool calls';
    return Promise.resolve(`content of ${request.arguments}`);
  }
}

const issue: IssueToDraft = {
  title: 'Export to CSV drops the last row',
  body: 'When I export a table with 10 rows, the file has 9.',
  repository: 'acme/widgets',
  number: 42,
};

/** Far above any pause of a loaded machine, so that only the tests of stalls meet a timeout. */
const TIMEOUT_MS = 30_000;
/** What the tests of stalls wait before the provider gives up. */
const STALL_TIMEOUT_MS = 300;
const MAX_RETRIES = 2;

describe(OpenAiLlmProvider.name, () => {
  let server: FakeOpenAi;
  let provider: OpenAiLlmProvider;

  function providerFor(settings: Partial<LlmConfig>): OpenAiLlmProvider {
    return new OpenAiLlmProvider({
      ...loadConfig({}).llm,
      provider: 'openai',
      baseUrl: server.baseUrl,
      model: 'test-model',
      timeoutMs: TIMEOUT_MS,
      maxRetries: MAX_RETRIES,
      ...settings,
    });
  }

  beforeEach(async () => {
    server = await startFakeOpenAi();
    provider = providerFor({ apiKey: 'sk-test-secret' });
  });

  afterEach(() => server.close());

  /** Collects what the provider yields, and what it throws in the end. */
  async function draft(signal = new AbortController().signal) {
    const deltas: string[] = [];
    try {
      for await (const delta of provider.draftComment({ issue, signal })) deltas.push(delta);
      return { deltas, error: undefined };
    } catch (error) {
      return { deltas, error };
    }
  }

  it('yields exactly the streamed deltas, in order, and sends the model and the issue', async () => {
    server.script(streamAnswer(['Thanks ', 'for the ', '', 'report.']));

    const { deltas, error } = await draft();

    expect(error).toBeUndefined();
    expect(deltas).toEqual(['Thanks ', 'for the ', 'report.']);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test-secret');
    expect(request.body?.model).toBe('test-model');
    expect(request.body?.stream).toBe(true);
    expect(JSON.stringify(request.body?.messages)).toContain('Export to CSV drops the last row');
    expect(JSON.stringify(request.body?.messages)).toContain(
      'When I export a table with 10 rows, the file has 9.',
    );
  });

  it('retries a rate-limited request and streams the answer of the retry', async () => {
    server.script(errorAnswer(429), streamAnswer(['Hello.']));

    const { deltas, error } = await draft();

    expect(error).toBeUndefined();
    expect(deltas).toEqual(['Hello.']);
    expect(server.requests).toHaveLength(2);
  });

  it('fails retryably with llm_failed when the server answers 500 to every attempt', async () => {
    server.script(...Array.from({ length: MAX_RETRIES + 1 }, () => errorAnswer(500)));

    const { error } = await draft();

    expect(error).toBeInstanceOf(RunFailure);
    expect(error).toMatchObject({ code: 'llm_failed', retryable: true });
    expect((error as RunFailure).message).toContain('HTTP 500');
    expect(server.requests).toHaveLength(MAX_RETRIES + 1);
  });

  it('fails without retrying when the server refuses the credentials, and never shows the key', async () => {
    server.script(
      errorAnswer(401, { message: 'Incorrect API key provided: sk-test-secret', code: 'invalid_api_key' }),
    );

    const { error } = await draft();

    expect(error).toBeInstanceOf(RunFailure);
    expect(error).toMatchObject({ code: 'llm_failed', retryable: false });
    expect((error as RunFailure).message).toContain('HTTP 401');
    expect((error as RunFailure).message).not.toContain('sk-test');
    expect(server.requests).toHaveLength(1);
  });

  it('fails without retrying when the model is unknown, and names the model', async () => {
    server.script(
      errorAnswer(404, { message: 'The model `test-model` does not exist', code: 'model_not_found' }),
    );

    const { error } = await draft();

    expect(error).toMatchObject({ code: 'llm_failed', retryable: false });
    expect((error as RunFailure).message).toContain('"test-model"');
    expect(server.requests).toHaveLength(1);
  });

  it('sends a placeholder key when only a base URL is configured, as for Ollama', async () => {
    server.script(streamAnswer(['Hi.']));

    const deltas: string[] = [];
    const signal = new AbortController().signal;
    for await (const delta of providerFor({ apiKey: undefined }).draftComment({ issue, signal })) {
      deltas.push(delta);
    }

    expect(deltas).toEqual(['Hi.']);
    expect(server.requests[0].headers.authorization).toMatch(/^Bearer \S+$/);
  });

  it('fails retryably with llm_failed when the connection is cut mid-answer, after yielding what came before', async () => {
    server.script(streamAnswer(['First ', 'part '], { end: 'cut' }));

    const { deltas, error } = await draft();

    expect(deltas).toEqual(['First ', 'part ']);
    expect(error).toBeInstanceOf(RunFailure);
    expect(error).toMatchObject({ code: 'llm_failed', retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it('fails with a retryable timeout when the server stalls mid-answer', async () => {
    provider = providerFor({ apiKey: 'sk-test-secret', timeoutMs: STALL_TIMEOUT_MS });
    server.script(streamAnswer(['Slow '], { end: 'stall' }));

    const { deltas, error } = await draft();

    expect(deltas).toEqual(['Slow ']);
    expect(error).toBeInstanceOf(RunFailure);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    await expect(server.requests[0].connectionEnd).resolves.toBe('closed_by_client');
  });

  it('fails with a retryable timeout when the answer starts but no chunk follows', async () => {
    provider = providerFor({ apiKey: 'sk-test-secret', timeoutMs: STALL_TIMEOUT_MS });
    server.script(streamAnswer([], { end: 'stall' }));

    const { deltas, error } = await draft();

    expect(deltas).toEqual([]);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('rethrows the reason of an aborted signal and closes the connection', async () => {
    server.script(streamAnswer(['One ', 'two '], { end: 'stall' }));
    const cancel = new AbortController();
    const reason = new Error('cancelled by the user');
    const deltas: string[] = [];

    const drafting = (async () => {
      for await (const delta of provider.draftComment({ issue, signal: cancel.signal })) {
        deltas.push(delta);
        if (deltas.length === 2) cancel.abort(reason);
      }
    })();

    await expect(drafting).rejects.toBe(reason);
    expect(deltas).toEqual(['One ', 'two ']);
    await expect(server.requests[0].connectionEnd).resolves.toBe('closed_by_client');
  });

  it('rethrows the reason of a signal aborted before the start, without sending a request', async () => {
    const reason = new Error('cancelled before the start');

    const { error } = await draft(AbortSignal.abort(reason));

    expect(error).toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('closes the connection when the consumer stops reading early', async () => {
    server.script(streamAnswer(['One ', 'two '], { end: 'stall' }));

    for await (const delta of provider.draftComment({ issue, signal: new AbortController().signal })) {
      expect(delta).toBe('One ');
      break;
    }

    await expect(server.requests[0].connectionEnd).resolves.toBe('closed_by_client');
  });

  it('offers no tools without a tool session', async () => {
    server.script(streamAnswer(['Hi.']));

    await draft();

    expect(server.requests[0].body).not.toHaveProperty('tools');
  });

  it('supports tools unless OPENAI_TOOLS is false', () => {
    expect(provider.supportsTools).toBe(true);
    expect(providerFor({ tools: false }).supportsTools).toBe(false);
  });

  describe('with repository tools', () => {
    async function draftWith(tools: ToolSession) {
      const deltas: string[] = [];
      try {
        for await (const delta of provider.draftComment({
          issue,
          signal: new AbortController().signal,
          tools,
        })) {
          deltas.push(delta);
        }
        return { deltas, error: undefined };
      } catch (error) {
        return { deltas, error };
      }
    }

    it('offers the tools, runs the call the model streams in pieces, and streams the answer that follows', async () => {
      const tools = new RecordingSession();
      server.script(
        toolCallsAnswer({ id: 'call_read', name: 'read_file', arguments: { path: 'src/export/csv.ts' } }),
        streamAnswer(['The last row is dropped in ', '`writeRows` of src/export/csv.ts.']),
      );

      const { deltas, error } = await draftWith(tools);

      expect(error).toBeUndefined();
      expect(deltas).toEqual(['The last row is dropped in ', '`writeRows` of src/export/csv.ts.']);
      expect(tools.calls).toEqual([
        { id: 'call_read', name: 'read_file', arguments: '{"path":"src/export/csv.ts"}' },
      ]);
      const [first, second] = server.requests.map((request) => request.body);
      expect(first?.tools?.map((tool) => [tool.type, tool.function.name])).toEqual([
        ['function', 'list_files'],
        ['function', 'read_file'],
        ['function', 'search_code'],
      ]);
      expect(first).not.toHaveProperty('tool_choice');
      expect(JSON.stringify(first?.messages?.[0].content)).toMatch(/list_files, read_file and search_code/);
      expect(second?.messages?.slice(-2)).toEqual([
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_read',
              type: 'function',
              function: { name: 'read_file', arguments: '{"path":"src/export/csv.ts"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_read', content: 'content of {"path":"src/export/csv.ts"}' },
      ]);
    });

    it('runs parallel calls in order and answers each of them', async () => {
      const tools = new RecordingSession();
      server.script(
        toolCallsAnswer(
          { id: 'a', name: 'search_code', arguments: { query: 'writeRows' } },
          { id: 'b', name: 'list_files', arguments: { path: 'src/export' } },
        ),
        streamAnswer(['Done.']),
      );

      await draftWith(tools);

      expect(tools.calls.map((call) => call.id)).toEqual(['a', 'b']);
      const messages = server.requests[1].body?.messages ?? [];
      expect(
        messages.filter((message) => message.role === 'tool').map((message) => message.tool_call_id),
      ).toEqual(['a', 'b']);
    });

    it('tells the model to stop and asks for the comment with tools off once the session stops', async () => {
      const tools = new RecordingSession(1);
      server.script(
        toolCallsAnswer({ name: 'read_file', arguments: { path: 'src/a.ts' } }),
        streamAnswer(['From what I read: …']),
      );

      const { deltas } = await draftWith(tools);

      expect(deltas).toEqual(['From what I read: …']);
      const last = server.requests[1].body;
      expect(last?.tool_choice).toBe('none');
      expect(last?.messages?.at(-1)).toEqual({
        role: 'user',
        content: expect.stringContaining(
          'you have reached the limit of 1 tool calls. Do not call any more tools',
        ),
      });
    });

    it('fails with llm_failed when the model keeps calling tools after it was told to stop', async () => {
      const tools = new RecordingSession(1);
      const call = toolCallsAnswer({ name: 'list_files', arguments: {} });
      server.script(call, call, call, call);

      const { error } = await draftWith(tools);

      expect(error).toBeInstanceOf(RunFailure);
      expect(error).toMatchObject({ code: 'llm_failed', retryable: true });
      expect(server.requests).toHaveLength(4);
    });

    it('keeps the text written before a tool call and starts a new paragraph after it', async () => {
      server.script(
        streamAnswer(['Let me look.'], { toolCalls: [{ name: 'list_files', arguments: {} }] }),
        streamAnswer(['Found it.']),
      );

      const { deltas } = await draftWith(new RecordingSession());

      expect(deltas.join('')).toBe('Let me look.\n\nFound it.');
      expect(server.requests[1].body?.messages?.at(-2)).toMatchObject({
        role: 'assistant',
        content: 'Let me look.',
      });
    });

    it('answers a call whose arguments are not JSON through the session, which reports it', async () => {
      const tools = new RecordingSession();
      server.script(
        toolCallsAnswer({ id: 'x', name: 'read_file', arguments: '{"path": src/a.ts' }),
        streamAnswer(['Ok.']),
      );

      await draftWith(tools);

      expect(tools.calls).toEqual([{ id: 'x', name: 'read_file', arguments: '{"path": src/a.ts' }]);
    });
  });
});

import 'reflect-metadata';
import {
  type FakeOpenAi,
  startFakeOpenAi,
  streamAnswer,
  toolCallsAnswer,
} from '../../test/fake-openai-server';
import { collectDraft, ISSUE, openAiProviderFor } from '../../test/openai-provider-harness';
import { RunFailure } from '../run-failure/run-failure';
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

describe(OpenAiLlmProvider.name, () => {
  let server: FakeOpenAi;
  let provider: OpenAiLlmProvider;

  beforeEach(async () => {
    server = await startFakeOpenAi();
    provider = openAiProviderFor(server, { apiKey: 'sk-test-secret' });
  });

  afterEach(() => server.close());

  describe('with repository tools', () => {
    const draftWith = (tools: ToolSession) =>
      collectDraft(provider.draftComment({ issue: ISSUE, signal: new AbortController().signal, tools }));

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

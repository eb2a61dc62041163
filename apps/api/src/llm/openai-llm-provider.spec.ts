import 'reflect-metadata';
import type { LlmConfig } from '../config/app-config';
import { errorAnswer, type FakeOpenAi, startFakeOpenAi, streamAnswer } from '../../test/fake-openai-server';
import { collectDraft, ISSUE, MAX_RETRIES, openAiProviderFor } from '../../test/openai-provider-harness';
import { RunFailure } from '../run-failure/run-failure';
import { OpenAiLlmProvider } from './openai-llm-provider';

/** What the tests of stalls wait before the provider gives up. */
const STALL_TIMEOUT_MS = 300;

describe(OpenAiLlmProvider.name, () => {
  let server: FakeOpenAi;
  let provider: OpenAiLlmProvider;

  const providerFor = (settings: Partial<LlmConfig>) => openAiProviderFor(server, settings);

  beforeEach(async () => {
    server = await startFakeOpenAi();
    provider = providerFor({ apiKey: 'sk-test-secret' });
  });

  afterEach(() => server.close());

  const draft = (signal = new AbortController().signal) =>
    collectDraft(provider.draftComment({ issue: ISSUE, signal }));

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
    for await (const delta of providerFor({ apiKey: undefined }).draftComment({ issue: ISSUE, signal })) {
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
      for await (const delta of provider.draftComment({ issue: ISSUE, signal: cancel.signal })) {
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

    for await (const delta of provider.draftComment({ issue: ISSUE, signal: new AbortController().signal })) {
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
});

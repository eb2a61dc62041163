import { Injectable } from '@nestjs/common';
import { OpenAI } from 'openai';
import { AppConfig } from '../config/app-config';
import { buildCommentMessages } from './comment-prompt';
import { IdleTimer } from './idle-timer';
import { DraftRequest, LlmProvider } from './llm-provider';
import { modelTimeoutFailure, toRunFailure } from './openai-run-failure';

/** Servers reached by base URL alone (Ollama, vLLM) ignore the key, but the SDK requires one. */
const PLACEHOLDER_API_KEY = 'no-key-needed';

/**
 * Drafts comments through the Chat Completions API of OpenAI or of any compatible server, streamed.
 * The SDK retries a request that fails before its answer starts; once deltas have been streamed,
 * nothing is retried, and a failure ends the draft with a `RunFailure`.
 */
@Injectable()
export class OpenAiLlmProvider extends LlmProvider {
  private readonly client: OpenAI;

  constructor(private readonly config: AppConfig) {
    super();
    this.client = new OpenAI({
      apiKey: config.openaiApiKey ?? PLACEHOLDER_API_KEY,
      // null, not undefined: the SDK would fall back to reading OPENAI_BASE_URL itself.
      baseURL: config.openaiBaseUrl ?? null,
      maxRetries: config.openaiMaxRetries,
      timeout: config.openaiTimeoutMs,
    });
  }

  async *draftComment({ issue, signal }: DraftRequest): AsyncGenerator<string> {
    signal.throwIfAborted();
    const { openaiModel: model, openaiTimeoutMs: timeoutMs } = this.config;
    const request = new AbortController();
    const idle = new IdleTimer(timeoutMs, () => request.abort());
    const cancel = () => request.abort();
    signal.addEventListener('abort', cancel, { once: true });
    let complete = false;
    try {
      const stream = await this.client.chat.completions.create(
        { model, messages: buildCommentMessages(issue), stream: true },
        { signal: request.signal },
      );
      idle.start();
      for await (const chunk of stream) {
        idle.stop();
        const content = chunk.choices[0]?.delta?.content;
        if (content) yield content;
        idle.start();
      }
      // The SDK ends an aborted stream quietly, as if the answer were complete.
      if (request.signal.aborted) throw new Error('The model request was aborted');
      complete = true;
    } catch (error) {
      signal.throwIfAborted();
      if (idle.expired) throw modelTimeoutFailure(timeoutMs);
      throw toRunFailure(error, model, timeoutMs);
    } finally {
      idle.stop();
      signal.removeEventListener('abort', cancel);
      // Also reached when the consumer stops early; the HTTP request must not outlive it.
      if (!complete) request.abort();
    }
  }
}

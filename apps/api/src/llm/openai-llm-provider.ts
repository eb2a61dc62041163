import { Injectable } from '@nestjs/common';
import { OpenAI } from 'openai';
import type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { LlmConfig } from '../config/app-config';
import { RunFailure } from '../run-failure/run-failure';
import { buildCommentMessages, stopReadingMessage } from './comment-prompt';
import { IdleTimer } from './idle-timer';
import { type DraftRequest, LlmProvider } from './llm-provider';
import { modelTimeoutFailure, toRunFailure } from './openai-run-failure';
import type { ToolCallRequest, ToolSession } from './tool-session';

/** Servers reached by base URL alone (Ollama, vLLM) ignore the key, but the SDK requires one. */
const PLACEHOLDER_API_KEY = 'no-key-needed';
/**
 * Rounds a model may still ask for tools after it was told to stop (each answered "not run"),
 * for servers that ignore `tool_choice: none`.
 */
const ROUNDS_AFTER_STOP = 2;

/** One answer of the model, streamed: its text went out as deltas; the tool calls it asked for, if any. */
interface Round {
  text: string;
  toolCalls: ToolCallRequest[];
}

/**
 * Drafts comments through the Chat Completions API of OpenAI or of any compatible server, streamed.
 * Given a `ToolSession`, it offers the model the repository tools and answers its calls round after
 * round until the model writes its comment; once the session stops, the model is told so and asked
 * for the comment with tools off. The SDK retries a request that fails before its answer starts;
 * once deltas have been streamed, nothing is retried, and a failure ends the draft with a `RunFailure`.
 */
@Injectable()
export class OpenAiLlmProvider extends LlmProvider {
  private readonly client: OpenAI;

  constructor(private readonly config: LlmConfig) {
    super();
    this.client = new OpenAI({
      apiKey: config.apiKey ?? PLACEHOLDER_API_KEY,
      // null, not undefined: the SDK would fall back to reading OPENAI_BASE_URL itself.
      baseURL: config.baseUrl ?? null,
      maxRetries: config.maxRetries,
      timeout: config.timeoutMs,
    });
  }

  get model(): string {
    return this.config.model;
  }

  override get supportsTools(): boolean {
    return this.config.tools;
  }

  async *draftComment({ issue, instructions, signal, tools, onUsage }: DraftRequest): AsyncGenerator<string> {
    signal.throwIfAborted();
    const messages: ChatCompletionMessageParam[] = buildCommentMessages(issue, {
      tools: tools !== undefined,
      instructions,
    });
    let toldToStop = false;
    let roundsAfterStop = 0;
    let wroteText = false;
    for (let round = 1; ; round++) {
      if (tools?.stopReason && !toldToStop) {
        messages.push({ role: 'user', content: stopReadingMessage(tools.stopReason) });
        toldToStop = true;
      }
      const answer: Round = yield* this.streamRound(messages, tools, {
        separate: wroteText,
        signal,
        round,
        onUsage,
      });
      wroteText ||= answer.text !== '';
      if (answer.toolCalls.length === 0 || !tools) return;
      if (toldToStop && ++roundsAfterStop > ROUNDS_AFTER_STOP) {
        throw new RunFailure(
          'llm_failed',
          'The model kept asking to read the repository after it was told to stop, and wrote no comment. Try again.',
          true,
        );
      }
      messages.push({
        role: 'assistant',
        content: answer.text || null,
        tool_calls: answer.toolCalls.map((call): ChatCompletionMessageFunctionToolCall => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      });
      for (const call of answer.toolCalls) {
        messages.push({ role: 'tool', tool_call_id: call.id, content: await tools.call(call) });
      }
    }
  }

  /** Streams one answer of the model: yields its text, and returns it with the tool calls it asked for. */
  private async *streamRound(
    messages: ChatCompletionMessageParam[],
    tools: ToolSession | undefined,
    {
      separate,
      signal,
      round,
      onUsage,
    }: { separate: boolean; signal: AbortSignal; round: number; onUsage?: DraftRequest['onUsage'] },
  ): AsyncGenerator<string, Round> {
    const { model, timeoutMs } = this.config;
    const request = new AbortController();
    const idle = new IdleTimer(timeoutMs, () => request.abort());
    const cancel = () => request.abort();
    signal.addEventListener('abort', cancel, { once: true });
    const calls: { id?: string; name: string; arguments: string }[] = [];
    let text = '';
    let complete = false;
    try {
      const stream = await this.client.chat.completions.create(
        {
          model,
          messages,
          stream: true,
          // The last chunk then carries the answer's token counts.
          stream_options: { include_usage: true },
          ...(tools && {
            tools: tools.definitions.map((definition): ChatCompletionFunctionTool => ({
              type: 'function',
              function: definition,
            })),
            // Only `none` is sent: `auto` is the default, and some servers refuse it unless configured for tools.
            ...(tools.stopReason && { tool_choice: 'none' as const }),
          }),
        },
        { signal: request.signal },
      );
      idle.start();
      for await (const chunk of stream) {
        idle.stop();
        if (chunk.usage) {
          const { prompt_tokens, completion_tokens } = chunk.usage;
          onUsage?.({ promptTokens: prompt_tokens, completionTokens: completion_tokens });
        }
        const delta = chunk.choices[0]?.delta;
        for (const [position, part] of (delta?.tool_calls ?? []).entries()) {
          const call = (calls[part.index ?? position] ??= { name: '', arguments: '' });
          if (part.id) call.id = part.id;
          if (part.function?.name) call.name = part.function.name;
          if (part.function?.arguments) call.arguments += part.function.arguments;
        }
        const content = delta?.content;
        if (content) {
          // Text after a round of tool calls continues the comment in a paragraph of its own.
          yield text === '' && separate ? `\n\n${content}` : content;
          text += content;
        }
        idle.start();
      }
      // The SDK ends an aborted stream quietly, as if the answer were complete.
      if (request.signal.aborted) throw new Error('The model request was aborted');
      complete = true;
    } catch (error) {
      signal.throwIfAborted();
      if (idle.expired) throw modelTimeoutFailure(timeoutMs);
      throw toRunFailure(error, model, timeoutMs, { toolsOffered: tools !== undefined });
    } finally {
      idle.stop();
      signal.removeEventListener('abort', cancel);
      // Also reached when the consumer stops early; the HTTP request must not outlive it.
      if (!complete) request.abort();
    }
    const toolCalls = calls
      .filter((call) => call !== undefined)
      .map((call, index) => ({ ...call, id: call.id || `call_${round}_${index}` }));
    return { text, toolCalls };
  }
}

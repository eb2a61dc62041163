import { Injectable } from '@nestjs/common';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { LlmConfig } from '../config/app-config';
import { DraftRequest, LlmProvider } from './llm-provider';
import { draftOfflineComment } from './offline-draft';

/**
 * The drafter used when no model is configured: a deterministic triage comment built from the issue
 * itself (`draftOfflineComment`), streamed word by word at `offlineLlmDelayMs` like a model's answer.
 */
@Injectable()
export class OfflineLlmProvider extends LlmProvider {
  /** It uses no model, and so no tokens. */
  readonly model = 'offline';

  constructor(private readonly config: LlmConfig) {
    super();
  }

  async *draftComment({ issue, signal }: DraftRequest): AsyncGenerator<string> {
    signal.throwIfAborted();
    const tokens = tokenize(draftOfflineComment(issue));
    for (const [index, token] of tokens.entries()) {
      if (index > 0) await this.pause(signal);
      yield token;
    }
  }

  private async pause(signal: AbortSignal): Promise<void> {
    const delayMs = this.config.offlineDelayMs;
    try {
      // Even without a delay, give the event loop a turn between tokens so a cancel can land.
      await (delayMs > 0 ? sleep(delayMs, undefined, { signal }) : nextTurn(undefined, { signal }));
    } catch (error) {
      signal.throwIfAborted();
      throw error;
    }
  }
}

/** Each word with the whitespace after it; joined, the tokens are the text again. */
function tokenize(text: string): string[] {
  return text.match(/^\s+|\S+\s*/g) ?? [];
}

import { Module } from '@nestjs/common';
import { LlmConfig } from '../config/app-config';
import type { LlmProviderName } from '../config/environment';
import { LlmProvider } from './llm-provider';
import { OfflineLlmProvider } from './offline-llm-provider';
import { OpenAiLlmProvider } from './openai-llm-provider';

const PROVIDERS: Record<LlmProviderName, new (config: LlmConfig) => LlmProvider> = {
  openai: OpenAiLlmProvider,
  offline: OfflineLlmProvider,
};

/** Provides the `LlmProvider` that `LLM_PROVIDER` names. */
@Module({
  providers: [
    {
      provide: LlmProvider,
      inject: [LlmConfig],
      useFactory: (config: LlmConfig): LlmProvider => new PROVIDERS[config.provider](config),
    },
  ],
  exports: [LlmProvider],
})
export class LlmModule {}

import { Module } from '@nestjs/common';
import { AppConfig, LlmProviderName } from '../config/app-config';
import { LlmProvider } from './llm-provider';
import { OfflineLlmProvider } from './offline-llm-provider';
import { OpenAiLlmProvider } from './openai-llm-provider';

const PROVIDERS: Record<LlmProviderName, new (config: AppConfig) => LlmProvider> = {
  openai: OpenAiLlmProvider,
  offline: OfflineLlmProvider,
};

/** Provides the `LlmProvider` that `LLM_PROVIDER` names. */
@Module({
  providers: [
    {
      provide: LlmProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig): LlmProvider => new PROVIDERS[config.llmProvider](config),
    },
  ],
  exports: [LlmProvider],
})
export class LlmModule {}

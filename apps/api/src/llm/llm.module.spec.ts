import { Test } from '@nestjs/testing';
import { ConfigModule } from '../config/config.module';
import type { LlmProviderName } from '../config/environment';
import { loadConfig } from '../config/load-config';
import { LlmModule } from './llm.module';
import { LlmProvider } from './llm-provider';
import { OfflineLlmProvider } from './offline-llm-provider';
import { OpenAiLlmProvider } from './openai-llm-provider';

async function providerFor(llmProvider: LlmProviderName): Promise<LlmProvider> {
  const config = loadConfig({ LLM_PROVIDER: llmProvider, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), LlmModule],
  }).compile();
  return moduleRef.get(LlmProvider);
}

describe(LlmModule.name, () => {
  it('provides the OpenAI provider when LLM_PROVIDER is openai', async () => {
    expect(await providerFor('openai')).toBeInstanceOf(OpenAiLlmProvider);
  });

  it('provides the offline drafter when LLM_PROVIDER is offline', async () => {
    expect(await providerFor('offline')).toBeInstanceOf(OfflineLlmProvider);
  });
});

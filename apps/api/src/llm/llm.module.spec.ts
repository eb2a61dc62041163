import { Test } from '@nestjs/testing';
import { AppConfig, type LlmProviderName } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { LlmModule } from './llm.module';
import { LlmProvider } from './llm-provider';
import { OfflineLlmProvider } from './offline-llm-provider';
import { OpenAiLlmProvider } from './openai-llm-provider';

async function providerFor(llmProvider: LlmProviderName): Promise<LlmProvider> {
  const config = Object.assign(new AppConfig(), { llmProvider, openaiBaseUrl: 'http://127.0.0.1:9/v1' });
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

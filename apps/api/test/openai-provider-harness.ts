import type { LlmConfig } from '../src/config/app-config';
import { loadConfig } from '../src/config/load-config';
import type { IssueToDraft } from '../src/llm/llm-provider';
import { OpenAiLlmProvider } from '../src/llm/openai-llm-provider';
import type { FakeOpenAi } from './fake-openai-server';

export const ISSUE: IssueToDraft = {
  title: 'Export to CSV drops the last row',
  body: 'When I export a table with 10 rows, the file has 9.',
  repository: 'acme/widgets',
  number: 42,
};

/** Far above any pause of a loaded machine, so that only the tests of stalls meet a timeout. */
const TIMEOUT_MS = 30_000;
export const MAX_RETRIES = 2;

/** The provider against the fake server, with the tests' timeout and retries unless `settings` say otherwise. */
export function openAiProviderFor(server: FakeOpenAi, settings: Partial<LlmConfig>): OpenAiLlmProvider {
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

/** Collects what a draft yields, and what it throws in the end. */
export async function collectDraft(
  draft: AsyncIterable<string>,
): Promise<{ deltas: string[]; error: unknown }> {
  const deltas: string[] = [];
  try {
    for await (const delta of draft) deltas.push(delta);
    return { deltas, error: undefined };
  } catch (error) {
    return { deltas, error };
  }
}

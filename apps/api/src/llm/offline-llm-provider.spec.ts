import 'reflect-metadata';
import { loadConfig } from '../config/load-config';
import type { IssueToDraft } from './llm-provider';
import { OfflineLlmProvider } from './offline-llm-provider';
import { draftOfflineComment } from './offline-draft';

const issue: IssueToDraft = {
  title: 'Export to CSV drops the last row',
  body: 'When I export a table with 10 rows, the file has 9.\n\nSeen on Windows 11.',
  author: 'octocat',
};

function providerWithDelay(offlineDelayMs: number): OfflineLlmProvider {
  return new OfflineLlmProvider({ ...loadConfig({}).llm, offlineDelayMs });
}

async function collect(tokens: AsyncIterable<string>): Promise<string[]> {
  const collected: string[] = [];
  for await (const token of tokens) collected.push(token);
  return collected;
}

describe(OfflineLlmProvider.name, () => {
  it('streams the offline draft word by word, the tokens joined being the whole draft', async () => {
    const tokens = await collect(
      providerWithDelay(0).draftComment({ issue, signal: new AbortController().signal }),
    );

    expect(tokens.length).toBeGreaterThan(20);
    expect(tokens.join('')).toBe(draftOfflineComment(issue));
    for (const token of tokens) expect(token).toMatch(/^\S+\s*$/);
  });

  it('streams the same text for the same issue', async () => {
    const provider = providerWithDelay(0);
    const first = await collect(provider.draftComment({ issue, signal: new AbortController().signal }));
    const second = await collect(
      provider.draftComment({ issue: { ...issue }, signal: new AbortController().signal }),
    );

    expect(second).toEqual(first);
  });

  it('stops between two tokens when the signal aborts, rethrowing its reason', async () => {
    const cancel = new AbortController();
    const reason = new Error('cancelled by the user');
    const tokens: string[] = [];

    const drafting = (async () => {
      for await (const token of providerWithDelay(1).draftComment({ issue, signal: cancel.signal })) {
        tokens.push(token);
        if (tokens.length === 3) cancel.abort(reason);
      }
    })();

    await expect(drafting).rejects.toBe(reason);
    expect(tokens).toHaveLength(3);
  });

  it('lets an abort from outside land even without a delay, since it yields to the event loop between tokens', async () => {
    const cancel = new AbortController();
    const reason = new Error('server shutting down');
    setImmediate(() => cancel.abort(reason));

    const drafting = collect(providerWithDelay(0).draftComment({ issue, signal: cancel.signal }));

    await expect(drafting).rejects.toBe(reason);
  });

  it('rethrows the reason of a signal aborted before the start, yielding nothing', async () => {
    const reason = new Error('cancelled before the start');
    const tokens: string[] = [];

    const drafting = (async () => {
      for await (const token of providerWithDelay(0).draftComment({
        issue,
        signal: AbortSignal.abort(reason),
      })) {
        tokens.push(token);
      }
    })();

    await expect(drafting).rejects.toBe(reason);
    expect(tokens).toEqual([]);
  });
});

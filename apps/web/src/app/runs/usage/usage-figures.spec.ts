import { durationLabel, tokensLabel } from './usage-figures';

describe('usage figures', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [4_240, '4.2 s'],
    [125_000, '2 min 5 s'],
  ])('says %d ms as %s', (ms, label) => {
    expect(durationLabel(ms)).toBe(label);
  });

  it('says the tokens in and out, grouped by thousands', () => {
    expect(tokensLabel({ promptTokens: 12_345, completionTokens: 678 })).toBe('12,345 in · 678 out');
  });

  it('says a run that used no tokens used none', () => {
    expect(tokensLabel({ promptTokens: 0, completionTokens: 0 })).toBe('none');
  });
});

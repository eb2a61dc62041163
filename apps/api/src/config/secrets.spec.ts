import { redactSecrets } from './secrets';

const SECRETS = ['ghp_s3cretTokenThatMustNeverLeak0000000000', 'sk-proj-0123456789abcdefghijABCDEFGHIJ'];

describe(redactSecrets.name, () => {
  it.each([
    ['the GitHub token', SECRETS[0]],
    ['a wrong guess at the GitHub token', 'ghp_s3cretTokenThatMustNeverLeak0000000001'],
    ['the OpenAI key', SECRETS[1]],
    ['a wrong guess at the OpenAI key', 'sk-proj-0123456789abcdefghijABCDEFGHIX'],
    ['a token of another service', 'xoxb-1234567890-abcdefghijklmnop'],
  ])('shows %s exactly as it shows any other guess: [redacted]', (_case, value) => {
    expect(redactSecrets(`The key is ${value} here.`, SECRETS)).toBe('The key is [redacted] here.');
  });

  it('gives the same text for the real secret and a one-character-off guess inside a sentence', () => {
    const real = redactSecrets(`token=${SECRETS[0]};`, SECRETS);
    const guess = redactSecrets(`token=${SECRETS[0].slice(0, -1)}X;`, SECRETS);

    expect(guess).toBe(real);
  });

  it('still keeps a configured secret that does not look like a credential from the model', () => {
    expect(redactSecrets('say correct-horse-battery please', ['correct-horse-battery'])).toBe(
      'say [redacted] please',
    );
  });

  it.each([
    'Saving a draft crashes the app with TypeError: cannot read properties of undefined.',
    'See apps/api/src/workflows/comment-on-issue.workflow.ts line 42.',
    'It fails in internationalization_and_localization code.',
    'Upgrading to v2.3.4 on 2024-01-01 broke it.',
  ])('leaves ordinary issue text alone: %s', (text) => {
    expect(redactSecrets(text, SECRETS)).toBe(text);
  });
});

import type { IssueToDraft } from './llm-provider';
import { draftOfflineComment, OFFLINE_DRAFT_NOTICE } from './offline-draft';

const SIZE = 64 * 1024;

/** Bodies built to make a backtracking pattern try every start and every split: each must draft as usual. */
const adversarialBodies: [string, string][] = [
  ['one repeated letter', 'a'.repeat(SIZE)],
  ['one repeated space', ' '.repeat(SIZE)],
  ['one repeated newline', '\n'.repeat(SIZE)],
  ['a version-like prefix and letters', `1.2-${'a'.repeat(65_000)}`],
  ['a version-like prefix, letters and a digit', `1.2-${'a'.repeat(65_000)}_1`],
  ['a version-like prefix and dots', `1.2${'.'.repeat(65_000)}`],
  ['unclosed link brackets', '['.repeat(SIZE)],
  ['a link text never followed by its target', `[${'a'.repeat(SIZE)}`],
  ['unclosed images', '!['.repeat(SIZE / 2)],
  ['unclosed HTML tags', '<'.repeat(SIZE)],
  ['a tag that never closes', `<${'a'.repeat(SIZE)}`],
  ['a numbered-list item without a second one', `1. x\n${' '.repeat(SIZE)}`],
  ['many first items of a numbered list', '1. x\n'.repeat(SIZE / 5)],
  ['a heading of spaces', `#${' '.repeat(SIZE)}x`],
  ['a heading of hashes', `# ${'#'.repeat(SIZE)}x`],
  ['fences that never close', '```\n'.repeat(SIZE / 4)],
  ['an unclosed fence with spaces', `\`\`\`${' '.repeat(SIZE)}`],
  ['a long word then "Error"', `${'a'.repeat(SIZE)} Error`],
  ['sentence ends without capitals', '. '.repeat(SIZE / 2)],
  ['indented lines that look like a stack trace', `${' '.repeat(SIZE)}at x`],
  ['GitHub paths with no repository', 'github.com/'.repeat(SIZE / 11)],
];

describe(`${draftOfflineComment.name} over adversarial issue text`, () => {
  it.each(adversarialBodies)('drafts the usual triage comment for a body of %s', (_name, body) => {
    const issue: IssueToDraft = { title: 'It breaks', body };

    const draft = draftOfflineComment(issue);

    expect(draft.startsWith(OFFLINE_DRAFT_NOTICE)).toBe(true);
    expect(draft).toContain('## What is reported');
    expect(draft).toContain('## Next steps');
  });

  it('drafts the usual comment when the adversarial text is the title', () => {
    const draft = draftOfflineComment({ title: `1.2-${'a'.repeat(65_000)}`, body: '' });

    expect(draft.startsWith(OFFLINE_DRAFT_NOTICE)).toBe(true);
    expect(draft).toContain('Versions mentioned: `1.2`');
  });

  it('still names the version that a version-like prefix gives', () => {
    const draft = draftOfflineComment({ title: 'It breaks', body: `1.2 ${'a'.repeat(65_000)}` });

    expect(draft).toContain('Versions mentioned: `1.2`');
  });
});

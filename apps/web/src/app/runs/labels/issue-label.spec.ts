import { isGitHubIssue, issueLabel } from './issue-label';

describe(issueLabel.name, () => {
  it('refers to a GitHub issue as owner/name#number', () => {
    expect(issueLabel({ repository: 'octo-org/octo-repo', number: 42, title: 'Crash' })).toBe(
      'octo-org/octo-repo#42',
    );
    expect(isGitHubIssue({ repository: 'octo-org/octo-repo', number: 42 })).toBe(true);
  });

  it('refers to a pasted issue by its title', () => {
    expect(issueLabel({ title: 'Crash when saving' })).toBe('Crash when saving');
    expect(issueLabel({ repository: 'octo-org/octo-repo', title: 'Crash' })).toBe('Crash');
    expect(issueLabel({})).toBe('Pasted issue');
    expect(isGitHubIssue({ title: 'Crash' })).toBe(false);
  });
});

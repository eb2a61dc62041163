import type { IssueToDraft } from './llm-provider';
import { draftOfflineComment } from './offline-draft';

const sparseIssue: IssueToDraft = {
  title: 'App crashes when saving',
  body: 'It crashes when I click save. Please fix!',
  author: 'octocat',
};

const richIssue: IssueToDraft = {
  title: 'Export to CSV drops the last row in v2.4.1',
  body: [
    '### Describe the bug',
    'Exporting a table to CSV loses its last row. It started after upgrading from 2.3.0.',
    '### Steps to reproduce',
    '1. Open a table with 10 rows',
    '2. Click **Export → CSV**',
    '### Expected behaviour',
    'The file should have 10 rows.',
    '### Actual behaviour',
    'It has 9 rows instead.',
    '### Logs',
    '```log',
    "TypeError: Cannot read properties of undefined (reading 'cells')",
    '    at exportRows (export.js:42:13)',
    '```',
    '### Environment',
    '- OS: macOS 14.4, Chrome 124',
    '### Reproduction',
    'https://stackblitz.com/edit/widgets-csv-bug',
  ].join('\n'),
  labels: ['bug'],
};

/** The text of one `## ` section of a comment. */
function section(comment: string, heading: string): string {
  const start = comment.indexOf(`## ${heading}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = comment.indexOf('\n## ', start + 3);
  return comment.slice(start, end === -1 ? undefined : end);
}

describe(draftOfflineComment.name, () => {
  it('gives the same text for the same issue', () => {
    expect(draftOfflineComment({ ...richIssue })).toBe(draftOfflineComment({ ...richIssue }));
    expect(draftOfflineComment({ ...sparseIssue })).toBe(draftOfflineComment({ ...sparseIssue }));
  });

  it('says in its first line that it was drafted without a language model', () => {
    const [firstLine] = draftOfflineComment(sparseIssue).split('\n');

    expect(firstLine).toMatch(/without a language model/i);
  });

  it('sums up what is reported from the title and the first sentences of the body', () => {
    const reported = section(draftOfflineComment(richIssue), 'What is reported');

    expect(reported).toContain('Export to CSV drops the last row in v2.4.1');
    expect(reported).toContain('Exporting a table to CSV loses its last row.');
    expect(reported).toContain("TypeError: Cannot read properties of undefined (reading 'cells')");
  });

  it('asks a sparse bug report for everything needed to reproduce it, addressing its author', () => {
    const comment = draftOfflineComment(sparseIssue);
    const missing = section(comment, 'What is missing to reproduce it');

    for (const ask of [
      'Versions',
      'Environment',
      'Steps to reproduce',
      'Expected and actual behaviour',
      'Logs',
      'reproduction',
    ]) {
      expect(missing).toContain(ask);
    }
    expect(section(comment, 'Next steps')).toContain('@octocat');
  });

  it('does not ask a rich bug report for what it already gives', () => {
    const missing = section(draftOfflineComment(richIssue), 'What is missing to reproduce it');

    expect(missing).not.toMatch(/^- /m);
    expect(missing).toContain('Nothing obvious');
  });

  it('asks for only what is missing when an issue gives part of it', () => {
    const missing = section(
      draftOfflineComment({
        title: 'Crash on start with 3.1.0',
        body: 'Steps to reproduce: run `widgets start` on Ubuntu 22.04.',
      }),
      'What is missing to reproduce it',
    );

    expect(missing).toContain('Expected and actual behaviour');
    expect(missing).toContain('Logs');
    expect(missing).not.toContain('**Versions**');
    expect(missing).not.toContain('**Environment**');
    expect(missing).not.toContain('**Steps to reproduce**');
  });

  it('does not count the empty sections and hints an issue template leaves behind', () => {
    const missing = section(
      draftOfflineComment({
        title: 'Save button does nothing',
        body: [
          '### Steps to reproduce',
          '',
          '_No response_',
          '### Logs',
          '<!-- Paste the Error: output and stack trace here -->',
        ].join('\n'),
      }),
      'What is missing to reproduce it',
    );

    expect(missing).toContain('**Steps to reproduce**');
    expect(missing).toContain('**Logs or error messages**');
  });

  it('asks a feature request about its use case rather than for steps to reproduce', () => {
    const comment = draftOfflineComment({
      title: 'Allow exporting to XLSX',
      body: 'It would be great to export tables to Excel directly.',
      labels: ['enhancement'],
    });

    expect(comment).toContain('A feature request');
    expect(comment).toContain('**The use case**');
    expect(comment).not.toContain('Steps to reproduce');
  });

  it('keeps Markdown in the quoted issue text from turning into links or HTML', () => {
    const comment = draftOfflineComment({
      title: 'Broken [link](https://evil.example) <img src=x onerror=alert(1)>',
      body: 'See [here](https://evil.example) <script>alert(1)</script> please.',
    });

    expect(comment).not.toMatch(/(?<!\\)\]\(https:/);
    expect(comment).not.toMatch(/(?<!\\)<(?:img|script)/);
  });
});

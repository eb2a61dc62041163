import {
  CHECKLISTS,
  type ChecklistItem,
  classifyIssue,
  type IssueEvidence,
  type IssueKind,
} from './issue-checklist';
import { firstErrorLine, firstSentences, meaningfulBody, proseOf, versionsIn } from './issue-text';
import type { IssueToDraft } from './llm-provider';

/** The first line of every offline draft, so no reader takes it for a model's answer. */
export const OFFLINE_DRAFT_NOTICE =
  '> **Drafted without a language model.** Issuecast wrote this triage note from the issue text alone, with fixed rules; review it before posting.';

const KIND_NAMES: Record<IssueKind, string> = {
  bug: 'A bug report',
  feature: 'A feature request',
  question: 'A question',
};

const MISSING_HEADINGS: Record<IssueKind, string> = {
  bug: 'What is missing to reproduce it',
  feature: 'What would help to weigh it',
  question: 'What would help to answer it',
};

/**
 * A triage comment in Markdown built from the issue alone: what is reported, what is missing to act
 * on it, next steps. A pure function: the same issue always gives the same text.
 */
export function draftOfflineComment(issue: IssueToDraft): string {
  const body = meaningfulBody(issue.body);
  const title = issue.title.replace(/\s+/g, ' ').trim();
  const evidence: IssueEvidence = { text: `${title}\n${body}`, body, labels: issue.labels ?? [] };
  const kind = classifyIssue(evidence, title);
  const checklist = CHECKLISTS[kind];
  const missing = checklist.filter((item) => !item.isPresent(evidence));
  const present = checklist.filter((item) => item.isPresent(evidence));

  return (
    [
      OFFLINE_DRAFT_NOTICE,
      '## What is reported',
      ...whatIsReported(kind, title, body, evidence.text),
      `## ${MISSING_HEADINGS[kind]}`,
      ...whatIsMissing(missing, present),
      '## Next steps',
      nextSteps(kind, missing.length > 0, issue.author),
    ].join('\n\n') + '\n'
  );
}

function whatIsReported(kind: IssueKind, title: string, body: string, text: string): string[] {
  const paragraphs = [`${KIND_NAMES[kind]}: **${escapeInline(title || 'Untitled issue')}**`];
  const summary = firstSentences(proseOf(body), 2, 300);
  paragraphs.push(summary ? `> ${escapeInline(summary)}` : 'The issue has no description beyond its title.');

  const facts: string[] = [];
  const errorLine = firstErrorLine(body);
  if (errorLine) facts.push(`- The error it shows: \`${errorLine}\``);
  const versions = versionsIn(text, 3);
  if (versions.length > 0)
    facts.push(`- Versions mentioned: ${versions.map((version) => `\`${version}\``).join(', ')}`);
  if (facts.length > 0) paragraphs.push(facts.join('\n'));
  return paragraphs;
}

function whatIsMissing(missing: readonly ChecklistItem[], present: readonly ChecklistItem[]): string[] {
  if (missing.length === 0) {
    return [`Nothing obvious: the issue already gives ${listInProse(present.map((item) => item.name))}.`];
  }
  const asks = missing.map((item) => `- **${capitalize(item.name)}**: ${item.request}`).join('\n');
  return present.length > 0
    ? [asks, `Already there: ${listInProse(present.map((item) => item.name))}.`]
    : [asks];
}

function nextSteps(kind: IssueKind, somethingMissing: boolean, author: string | undefined): string {
  const askAuthor = `${author ? `@${author}, could` : 'Could'} you add the details above? Editing the issue or replying here both work.`;
  const steps: Record<IssueKind, string[]> = {
    bug: [
      'A maintainer tries to reproduce it on the latest release.',
      'If it reproduces, it gets the `bug` label; the last version that worked, if there is one, narrows down the change that caused it.',
      'If it does not, the differences between the two setups are the next thing to compare here.',
    ],
    feature: [
      "Maintainers weigh whether it fits the project's scope.",
      'If it does, the design is agreed here before anyone opens a pull request.',
    ],
    question: [
      'A maintainer or another user answers here.',
      'If the answer shows a bug or a gap in the documentation, it becomes an issue of its own.',
    ],
  };
  return [...(somethingMissing ? [askAuthor] : []), ...steps[kind]]
    .map((step, index) => `${index + 1}. ${step}`)
    .join('\n');
}

/** Keeps issue text from opening Markdown constructs (links, emphasis, HTML) in the comment. */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (character) => `\\${character}`);
}

function listInProse(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

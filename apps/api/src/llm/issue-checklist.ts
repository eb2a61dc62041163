import { fencedBlocks, versionsIn } from './issue-text';

/** What an issue asks for, which decides what it needs to be acted on. */
export type IssueKind = 'bug' | 'feature' | 'question';

/** The parts of an issue the checks look at. */
export interface IssueEvidence {
  /** Title and meaningful body together. */
  text: string;
  /** The body without template hints and empty template sections. */
  body: string;
  labels: readonly string[];
}

/** One thing an issue of some kind should tell; asked for when `isPresent` finds no trace of it. */
export interface ChecklistItem {
  name: string;
  request: string;
  isPresent(issue: IssueEvidence): boolean;
}

const LOG_LANGUAGES = new Set([
  'log',
  'logs',
  'console',
  'text',
  'txt',
  'plaintext',
  'shell',
  'sh',
  'bash',
  'shell-session',
  'stacktrace',
  'pytb',
]);
const ERROR_TRACE =
  /\b[A-Z]\w*(?:Error|Exception)\b|\bError:|Traceback \(most recent call last\)|^[ \t]+at[ \t]+\S.*:\d+|\bpanic:|\bnpm ERR!|\bstack ?trace\b|\bsegmentation fault\b/im;
const REPRODUCTION_LINK =
  /\b(?:stackblitz\.com|codesandbox\.io|jsfiddle\.net|codepen\.io|replit\.com|gist\.github\.com|godbolt\.org|play\.[\w-]+\.\w+)\b|\bgithub\.com\/[\w.-]+\/[\w.-]+(?!\/(?:issues|pull|discussions)\b)/i;

const versions: ChecklistItem = {
  name: 'versions',
  request:
    'Which version shows the problem, and of the main dependencies involved? Is it still there on the latest release?',
  isPresent: ({ text }) => versionsIn(text, 1).length > 0 || /\bversions?\s*[:=]\s*\S/i.test(text),
};

const environment: ChecklistItem = {
  name: 'environment',
  request:
    'Where does it run: operating system, browser or runtime (and their versions), any container or cloud setup?',
  isPresent: ({ text }) =>
    /\b(?:windows|mac ?os|os ?x|linux|ubuntu|debian|fedora|alpine|android|ios|chrome|chromium|firefox|safari|edge|node(?:\.?js)?|deno|bun|python|jdk|jvm|docker|kubernetes|operating system)\b/i.test(
      text,
    ),
};

/** A numbered list: a line `1. …` and, on a later line, `2. …`; line by line, so no pattern spans the text. */
function hasNumberedSteps(text: string): boolean {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => /^\s*1[.)]\s+\S/.test(line));
  return first >= 0 && lines.slice(first + 1).some((line) => /^\s*2[.)]\s+\S/.test(line));
}

const stepsToReproduce: ChecklistItem = {
  name: 'steps to reproduce',
  request: 'The exact steps that make it happen, starting from a fresh setup.',
  isPresent: ({ text }) =>
    /\b(?:steps to reproduce|to reproduce|reproduction steps|repro steps|steps:)/i.test(text) ||
    hasNumberedSteps(text),
};

const expectedAndActual: ChecklistItem = {
  name: 'expected and actual behaviour',
  request: 'What you expected to happen, and what happened instead.',
  isPresent: ({ text }) =>
    /\bexpect(?:ed|s|ing|ation)?\b|\bshould\b|\bsupposed to\b/i.test(text) &&
    /\bactual(?:ly)?\b|\binstead\b|\bbut\b|\bcurrent(?:ly)?\b|\bobserved\b/i.test(text),
};

const logs: ChecklistItem = {
  name: 'logs or error messages',
  request:
    'The full error message, stack trace or relevant log lines, as text in a code block rather than a screenshot.',
  isPresent: ({ body }) =>
    ERROR_TRACE.test(body) || fencedBlocks(body).some(({ language }) => LOG_LANGUAGES.has(language)),
};

const minimalReproduction: ChecklistItem = {
  name: 'a reproduction',
  request:
    'A minimal reproduction: a small repository, sandbox link or self-contained snippet that shows the problem.',
  isPresent: ({ body }) =>
    REPRODUCTION_LINK.test(body) ||
    /\bminimal (?:reproduction|repro|example)|\brepro(?:duction)? (?:repository|repo|link|project)|\breproducible example\b|\bmcve\b|\breprex\b/i.test(
      body,
    ) ||
    fencedBlocks(body).some(
      ({ language, code }) => language !== '' && !LOG_LANGUAGES.has(language) && code.trim() !== '',
    ),
};

const useCase: ChecklistItem = {
  name: 'the use case',
  request:
    'The problem this would solve for you: what you are trying to do and why the current behaviour is not enough.',
  isPresent: ({ body }) =>
    /\buse ?case\b|\bbecause\b|\bso that\b|\bin order to\b|\bmotivation\b|\bproblem\b|\bwe need\b|\bI need\b|\bwould (?:allow|help|let)\b/i.test(
      body,
    ),
};

const proposal: ChecklistItem = {
  name: 'a proposal',
  request: 'How you picture it working: the option, API or behaviour you have in mind, with an example.',
  isPresent: ({ body }) =>
    /\bpropos(?:e|ed|al)\b|\bsuggest(?:ion)?\b|\bsomething like\b|\bfor example\b|\be\.g\.|\bcould (?:add|have|accept)\b/i.test(
      body,
    ) || fencedBlocks(body).length > 0,
};

const alternatives: ChecklistItem = {
  name: 'alternatives considered',
  request: 'What you do today instead (a workaround) and any alternatives you considered.',
  isPresent: ({ body }) =>
    /\balternatives?\b|\bworkaround\b|\binstead\b|\bcurrently\b|\bfor now\b/i.test(body),
};

const whatWasTried: ChecklistItem = {
  name: 'what was tried',
  request: 'What you have tried so far, and which documentation you followed.',
  isPresent: ({ body }) =>
    /\btried\b|\battempt(?:ed)?\b|\bfollow(?:ed|ing)\b|\bdocs\b|\bdocumentation\b|\bREADME\b/i.test(body),
};

const relevantCode: ChecklistItem = {
  name: 'the relevant code or configuration',
  request: 'The code or configuration in question, as a short snippet in a code block.',
  isPresent: ({ body }) => fencedBlocks(body).length > 0,
};

/** What each kind of issue should tell, in the order a comment asks for it. */
export const CHECKLISTS: Record<IssueKind, readonly ChecklistItem[]> = {
  bug: [versions, environment, stepsToReproduce, expectedAndActual, logs, minimalReproduction],
  feature: [useCase, proposal, alternatives],
  question: [
    { ...versions, request: 'Which version you are using, and of the main dependencies involved.' },
    environment,
    whatWasTried,
    relevantCode,
  ],
};

const LABEL_KINDS: [RegExp, IssueKind][] = [
  [/bug|defect|regression|crash/i, 'bug'],
  [/feature|enhancement|proposal|request/i, 'feature'],
  [/question|support|how.?to/i, 'question'],
];

/** The kind of an issue: from its labels when they tell, else from its words; a bug report when unsure. */
export function classifyIssue({ text, labels }: IssueEvidence, title: string): IssueKind {
  for (const [pattern, kind] of LABEL_KINDS) {
    if (labels.some((label) => pattern.test(label))) return kind;
  }
  if (
    /\b(?:bug|error|crash(?:es|ed)?|fail(?:s|ed|ing|ure)?|broken|exception|regression|doesn'?t work|does not work|not working)\b/i.test(
      text,
    )
  ) {
    return 'bug';
  }
  if (
    /\bfeature request\b|\bwould be (?:nice|great|useful)\b|\bplease add\b|\badd support\b|\bsupport for\b|\ballow (?:users|me|us|to)\b|^[ \t]*\[?(?:feat|feature|rfc|proposal)\b/im.test(
      text,
    )
  ) {
    return 'feature';
  }
  if (
    /\?\s*$/.test(title) ||
    /^\s*(?:how|what|why|where|when|is it possible|can I|is there)\b/i.test(title)
  ) {
    return 'question';
  }
  return 'bug';
}

const FENCED_BLOCK = /^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\n]*$|(?![\s\S]))/gm;
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
/** An ATX heading line; everything after the hashes and one blank is its text. */
const HEADING = /^ {0,3}#{1,6}\s/;
/** What GitHub issue forms write under a field left empty. */
const NO_RESPONSE = /^_?no response_?$/i;

/**
 * The body as the author meant it: without the HTML comments issue templates leave as hints, and
 * without template sections left empty, whose headings ("Steps to reproduce") would pass for content.
 */
export function meaningfulBody(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').replace(HTML_COMMENT, '').split('\n');
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (HEADING.test(line)) sections.push([line]);
    else sections[sections.length - 1].push(line);
  }
  return sections
    .filter((section) => {
      const [first, ...rest] = section;
      if (first === undefined || !HEADING.test(first)) return true;
      const content = rest.join('\n').trim();
      return content !== '' && !NO_RESPONSE.test(content);
    })
    .map((section) => section.join('\n'))
    .join('\n')
    .trim();
}

/** The body as plain prose: no code, headings, images, HTML, tables or list markers. */
export function proseOf(body: string): string {
  return (
    body
      .replace(FENCED_BLOCK, ' ')
      .split('\n')
      .filter((line) => !HEADING.test(line) && !/^\s*\|/.test(line) && !/^\s*>/.test(line))
      .join('\n')
      // No class below may hold the character that opens its own construct: each failed match then ends
      // where the next one could start, and an unclosed `[[[[…` or `<<<<…` costs one pass, not one per start.
      .replace(/!\[[^[\]]*\]\([^()]*\)/g, ' ')
      .replace(/\[([^[\]]*)\]\([^()]*\)/g, '$1')
      .replace(/<[^<>]+>/g, ' ')
      .replace(/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ x]\][ \t]+)?/gim, '')
      .replace(/[`*_]{1,3}/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The first sentences of `prose`, about `maxLength` characters at most, cut at a word. */
export function firstSentences(prose: string, maxSentences: number, maxLength: number): string {
  // `prose` has its white space folded to single spaces (see `proseOf`).
  const sentences = prose.split(/(?<=[.!?]) (?=[A-Z0-9"'(])/);
  let summary = '';
  for (const sentence of sentences.slice(0, maxSentences)) {
    const next = summary ? `${summary} ${sentence}` : sentence;
    if (next.length > maxLength) {
      if (!summary) summary = `${cutAtWord(next, maxLength)}…`;
      break;
    }
    summary = next;
  }
  return summary;
}

/** The first `maxLength` characters of folded prose, without the word cut in two. */
function cutAtWord(prose: string, maxLength: number): string {
  const cut = prose.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(' ');
  return lastSpace > 0 ? cut.slice(0, lastSpace) : cut;
}

/** The first line that reads like an error message or the head of a stack trace, if any. */
export function firstErrorLine(body: string): string | undefined {
  const match = body.match(
    /^.*?\b((?:[A-Z]\w*(?:Error|Exception)|Error|panic|FATAL|Traceback \(most recent call last\))\b.*)$/m,
  );
  const line = match?.[1].replace(/`/g, '').trim();
  if (!line) return undefined;
  return line.length <= 160 ? line : `${line.slice(0, 159)}…`;
}

/** A version number at the start of a word; a pre-release tag longer than any real one is not taken. */
const VERSION = /(?<![\w.])v?\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.]{1,32})?/g;
const WORD_CHARACTER = /[\w.]/;

/** Version numbers the issue mentions (`1.2`, `v18.3.0`, `5.0.0-beta.1`), first ones first, no repeats. */
export function versionsIn(text: string, max: number): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(VERSION)) {
    if (found.size === max) break;
    let version = match[0];
    const rest = restOfWord(text, match.index + version.length);
    // A digit further on makes it part of something longer: an address, a date, a hash.
    if (/\d/.test(rest)) continue;
    // A word that goes on past the tag's bound: the number is the version, the rest is not its tag.
    if (rest && version.includes('-')) version = version.slice(0, version.indexOf('-'));
    found.add(version.replace(/\.$/, ''));
  }
  return [...found];
}

/** The word characters from `start` on: a linear scan, where a lookahead would rescan for every start. */
function restOfWord(text: string, start: number): string {
  let end = start;
  while (end < text.length && WORD_CHARACTER.test(text[end])) end++;
  return text.slice(start, end);
}

/** The line that opens or closes a fenced code block, and the info string after an opening fence. */
const FENCE = /^ {0,3}(`{3}|~{3})/;

/** Fenced code blocks with their info string (the language, lower case; empty when none). */
export function fencedBlocks(body: string): { language: string; code: string }[] {
  const blocks: { language: string; code: string }[] = [];
  let open: { fence: string; language: string; lines: string[] } | undefined;
  const lines = body.split('\n');
  lines.forEach((line, index) => {
    const fence = FENCE.exec(line);
    if (open) {
      if (fence?.[1] === open.fence) {
        blocks.push({ language: open.language, code: open.lines.map((kept) => `${kept}\n`).join('') });
        open = undefined;
      } else open.lines.push(line);
    } else if (fence && index < lines.length - 1) {
      const language = line.slice(fence[0].length).trimStart().split(/[\s`]/, 1)[0];
      open = { fence: fence[1], language: language.toLowerCase(), lines: [] };
    }
  });
  // An unclosed fence runs to the end of the body.
  if (open) blocks.push({ language: open.language, code: open.lines.join('\n') });
  return blocks;
}

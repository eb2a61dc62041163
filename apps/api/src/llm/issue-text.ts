const FENCED_BLOCK = /^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\n]*$|(?![\s\S]))/gm;
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
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
  return body
    .replace(FENCED_BLOCK, ' ')
    .split('\n')
    .filter((line) => !HEADING.test(line) && !/^\s*\|/.test(line) && !/^\s*>/.test(line))
    .join('\n')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/gm, '')
    .replace(/[`*_]{1,3}/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first sentences of `prose`, about `maxLength` characters at most, cut at a word. */
export function firstSentences(prose: string, maxSentences: number, maxLength: number): string {
  const sentences = prose.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/);
  let summary = '';
  for (const sentence of sentences.slice(0, maxSentences)) {
    const next = summary ? `${summary} ${sentence}` : sentence;
    if (next.length > maxLength) {
      if (!summary) summary = `${next.slice(0, maxLength).replace(/\s+\S*$/, '')}…`;
      break;
    }
    summary = next;
  }
  return summary;
}

/** The first line that reads like an error message or the head of a stack trace, if any. */
export function firstErrorLine(body: string): string | undefined {
  const match = body.match(
    /^.*?\b((?:[A-Z]\w*(?:Error|Exception)|Error|panic|FATAL|Traceback \(most recent call last\))\b:?.*)$/m,
  );
  const line = match?.[1].replace(/`/g, '').trim();
  if (!line) return undefined;
  return line.length <= 160 ? line : `${line.slice(0, 159)}…`;
}

/** Version numbers the issue mentions (`1.2`, `v18.3.0`, `5.0.0-beta.1`), first ones first, no repeats. */
export function versionsIn(text: string, max: number): string[] {
  const found = text.match(/(?<![\w.])v?\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.]+)?(?![\w.]*\d)/g) ?? [];
  return [...new Set(found.map((version) => version.replace(/\.$/, '')))].slice(0, max);
}

/** Fenced code blocks with their info string (the language, lower case; empty when none). */
export function fencedBlocks(body: string): { language: string; code: string }[] {
  return [...body.matchAll(/^ {0,3}(```|~~~)\s*([^\s`]*)[^\n]*\n([\s\S]*?)(?:^ {0,3}\1|(?![\s\S]))/gm)].map(
    ([, , language, code]) => ({ language: language.toLowerCase(), code }),
  );
}

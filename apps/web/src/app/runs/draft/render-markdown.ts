import DOMPurify, { type Config, type DOMPurify as DOMPurifyInstance } from 'dompurify';
import { Marked, type Tokens } from 'marked';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * The draft is written by a model from an issue anyone could have filed, so it may carry HTML or
 * images meant to run script or track the reader. Raw HTML is shown as the text it is, an image
 * as its alt text, and task-list boxes as characters.
 */
const markdown = new Marked({
  gfm: true,
  renderer: {
    html: ({ text, block }: Tokens.HTML | Tokens.Tag) =>
      block ? `<p>${escapeHtml(text)}</p>\n` : escapeHtml(text),
    image: ({ text }: Tokens.Image) => escapeHtml(text),
    checkbox: ({ checked }: Tokens.Checkbox) => (checked ? '☑ ' : '☐ '),
  },
});

/** What may remain once Markdown is HTML: text structure, code, tables and links, nothing active. */
const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS: [
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'ul',
    'ol',
    'li',
    'pre',
    'code',
    'em',
    'strong',
    'del',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  ALLOWED_ATTR: ['href', 'title', 'start', 'align', 'class'],
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  ALLOW_DATA_ATTR: false,
};

let purifier: DOMPurifyInstance | undefined;

function purify(html: string): string {
  if (!purifier) {
    purifier = DOMPurify(window);
    purifier.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName !== 'A') return;
      if (node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
  }
  return purifier.sanitize(html, PURIFY_CONFIG);
}

/**
 * Markdown as HTML that is safe to insert: headings, lists, code, tables and links (opening in a new
 * tab, without referrer); no raw HTML, no script, no image, no event handler, no `javascript:` URL.
 */
export function renderMarkdown(source: string): string {
  return purify(markdown.parse(source, { async: false }));
}

import { isUtf8 } from 'node:buffer';
import {
  formatBytes,
  type RepositoryToolArguments,
  type RepositoryTools,
  type ToolOutput,
} from '../llm/repository-tools';
import { GitHubFailure, isoSeconds } from './github-failure';
import { withoutTrailingSlashes } from './trailing-slashes';
import type { GitHubContents, TreeFile } from './github-contents';

/** The most files one listing shows the model. */
export const MAX_LISTED_FILES = 300;
/** The most files one search shows the model, and the most fragments of each. */
const MAX_SEARCH_HITS = 10;
const MAX_FRAGMENTS_PER_HIT = 2;
const MAX_FRAGMENT_CHARS = 300;
/** How far into a file to look for a NUL byte, as git does to tell binary files. */
const BINARY_SNIFF_BYTES = 8_000;
const MAX_PATH_LENGTH = 1_024;
/** Search qualifiers that would reach outside the repository. */
const SCOPE_QUALIFIERS = /(?:^|\s)-?(?:repo|org|user|owner|is|fork):\S*/gi;

/**
 * The repository tools over GitHub's REST API, all on the default branch: the git trees API for
 * listings (fetched once per run), the contents API for files, code search for searches.
 */
export class GitHubRepositoryTools implements RepositoryTools {
  private branch?: string;
  private tree?: { files: TreeFile[]; truncated: boolean };

  constructor(
    private readonly contents: GitHubContents,
    readonly repository: string,
  ) {}

  async listFiles({ path }: RepositoryToolArguments<'list_files'>, signal: AbortSignal): Promise<ToolOutput> {
    const raw = path?.trim() ?? '';
    const checked = raw === '' || raw === '.' || raw === '/' ? { path: '' } : checkPath(raw);
    if ('error' in checked) return refused(`"${raw}" is not a path in the repository: ${checked.error}`);
    const prefix = checked.path;
    const where = prefix ? ` under ${prefix}` : '';
    try {
      const tree = await this.fileTree(signal);
      const files = tree.files.filter((file) => !prefix || file.path.startsWith(`${prefix}/`));
      if (files.length === 0) {
        const exact = tree.files.some((file) => file.path === prefix);
        return refused(
          exact
            ? `${prefix} is a file, not a directory; read it with read_file`
            : `No files${where} in ${this.repository}`,
        );
      }
      const shown = files.slice(0, MAX_LISTED_FILES);
      const notes = [
        files.length > shown.length &&
          `[${files.length - shown.length} more files${where} are not shown; list a subdirectory to see them.]`,
        tree.truncated &&
          '[GitHub cut the tree of this very large repository: some files are missing from it.]',
      ].filter((note): note is string => typeof note === 'string');
      const content = [
        `${files.length} files${where} in ${this.repository} (${this.branch}), with their sizes in bytes:`,
        ...shown.map((file) => `${file.path} (${file.size})`),
        ...notes,
      ].join('\n');
      const count = shown.length < files.length ? `${shown.length} of ${files.length}` : `${files.length}`;
      return {
        ok: true,
        summary: `Listed ${count} files${where}`,
        content,
        bytes: Buffer.byteLength(content),
      };
    } catch (error) {
      return this.failed(error, `list the files${where}`);
    }
  }

  async readFile(
    { path, maxBytes }: RepositoryToolArguments<'read_file'> & { maxBytes: number },
    signal: AbortSignal,
  ): Promise<ToolOutput> {
    const checked = checkPath(path.trim());
    if ('error' in checked) return refused(`"${path}" is not a path in the repository: ${checked.error}`);
    const file = checked.path;
    try {
      const entry = await this.contents.contentAt(
        this.repository,
        file,
        await this.defaultBranch(signal),
        signal,
      );
      if (entry.kind === 'directory')
        return refused(`${file} is a directory; list its files with list_files`);
      if (entry.kind === 'other') return refused(`${file} is a ${entry.type}, not a file; it was not read`);
      if (!entry.content) return refused(`${file} is too large to read (${formatBytes(entry.size)})`);
      const bytes = entry.content;
      if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0) || !isUtf8(bytes)) {
        return refused(`${file} is a binary file (${formatBytes(bytes.length)}); it was not read`);
      }
      const shown = bytes.length > maxBytes ? cutAtLine(bytes, maxBytes) : bytes;
      const lines = splitLines(shown.toString('utf8'));
      const total = bytes.length > shown.length ? splitLines(bytes.toString('utf8')).length : lines.length;
      const width = String(lines.length).length;
      const numbered = lines.map((line, index) => `${String(index + 1).padStart(width)}  ${line}`);
      const cut = shown.length < bytes.length;
      const header = cut
        ? `${file}: lines 1–${lines.length} of ${total} (${formatBytes(bytes.length)}; the rest was not read):`
        : `${file} (${total} lines):`;
      return {
        ok: true,
        summary: cut
          ? `Read the first ${lines.length} of ${total} lines of ${file}`
          : `Read ${file} (${plural(total, 'line')})`,
        content: [header, ...numbered].join('\n'),
        bytes: shown.length,
      };
    } catch (error) {
      if (error instanceof GitHubFailure && error.status === 404) {
        return refused(`No file at ${file} in ${this.repository}; list_files shows what there is`);
      }
      return this.failed(error, `read ${file}`);
    }
  }

  async searchCode(
    { query }: RepositoryToolArguments<'search_code'>,
    signal: AbortSignal,
  ): Promise<ToolOutput> {
    const terms = query.replace(SCOPE_QUALIFIERS, ' ').replace(/\s+/g, ' ').trim();
    if (!terms) return refused('The query has nothing to search for inside this repository');
    try {
      const { total, incomplete, hits } = await this.contents.searchCode(
        this.repository,
        terms,
        MAX_SEARCH_HITS,
        signal,
      );
      if (total === 0) {
        return {
          ok: true,
          summary: `No code matches "${terms}"`,
          content: `No code in ${this.repository} matches "${terms}".`,
          bytes: 0,
        };
      }
      const lines = [
        `${plural(total, 'file')} in ${this.repository} match "${terms}"${incomplete ? ' (the search timed out: there may be more)' : ''}${hits.length < total ? `; the first ${hits.length}` : ''}:`,
      ];
      for (const hit of hits) {
        lines.push(`- ${hit.path}`);
        for (const fragment of hit.fragments.slice(0, MAX_FRAGMENTS_PER_HIT)) {
          const text =
            fragment.length > MAX_FRAGMENT_CHARS ? `${fragment.slice(0, MAX_FRAGMENT_CHARS)}…` : fragment;
          lines.push(...text.split('\n').map((line) => `    ${line}`));
        }
      }
      const content = lines.join('\n');
      return {
        ok: true,
        summary: `Found ${plural(total, 'file')} matching "${terms}"`,
        content,
        bytes: Buffer.byteLength(content),
      };
    } catch (error) {
      return this.failed(error, `search for "${terms}"`);
    }
  }

  private async defaultBranch(signal: AbortSignal): Promise<string> {
    this.branch ??= await this.contents.defaultBranch(this.repository, signal);
    return this.branch;
  }

  private async fileTree(signal: AbortSignal): Promise<{ files: TreeFile[]; truncated: boolean }> {
    this.tree ??= await this.contents.fileTree(this.repository, await this.defaultBranch(signal), signal);
    return this.tree;
  }

  /** A GitHub failure is told to the model; a rate limit also stops every further call. Anything else is rethrown. */
  private failed(error: unknown, what: string): ToolOutput {
    if (!(error instanceof GitHubFailure)) throw error;
    const output = refused(`Could not ${what}: ${error.message}`);
    if (error.rateLimited) {
      output.stopAll = `GitHub's rate limit${error.resetsAt ? ` (it resets at ${isoSeconds(error.resetsAt)})` : ''}`;
    }
    return output;
  }
}

/**
 * A path inside the repository, or why it is not one: relative, no `.` or `..` segments, no
 * backslashes or control characters. A leading `./` and trailing slashes are dropped.
 */
export function checkPath(raw: string): { path: string } | { error: string } {
  const path = withoutTrailingSlashes(raw.replace(/^(?:\.\/)+/, ''));
  if (!path) return { error: 'it is empty' };
  if (path.length > MAX_PATH_LENGTH) return { error: 'it is too long' };
  if (path.startsWith('/')) return { error: 'it must be relative to the root of the repository' };
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(path))
    return { error: 'it contains a backslash or a control character' };
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return { error: 'it contains an empty, "." or ".." segment' };
  }
  return { path };
}

function refused(message: string): ToolOutput {
  return { ok: false, summary: message, content: `Error: ${message}.`, bytes: 0 };
}

/** The first `maxBytes` of `bytes`, ending after the last whole line that fits (never inside a character). */
function cutAtLine(bytes: Buffer, maxBytes: number): Buffer {
  const head = bytes.subarray(0, maxBytes);
  const lastNewline = head.lastIndexOf(0x0a);
  if (lastNewline >= 0) return head.subarray(0, lastNewline + 1);
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut does not split a UTF-8 character.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return head.subarray(0, end);
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;
}

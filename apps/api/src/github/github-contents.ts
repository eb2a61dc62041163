import { Injectable } from '@nestjs/common';
import { GitHubClient } from './github-client';
import type { GitHubRequestContext } from './github-failure';
import { ownerAndRepo } from './repository-name';

/** An entry of a repository's file tree. */
export interface TreeFile {
  path: string;
  size: number;
}

/** What the contents API answers for a path. */
export type RepositoryEntry =
  | {
      kind: 'file';
      size: number;
      /** Absent when the file is too large for the contents API (1 MB). */ content?: Buffer;
    }
  | { kind: 'directory' }
  | { kind: 'other'; type: string };

/** One file that code search found, with the fragments that matched. */
export interface CodeSearchHit {
  path: string;
  fragments: string[];
}

/** A repository's default branch, file tree and files, and code search inside it. */
@Injectable()
export class GitHubContents {
  constructor(private readonly client: GitHubClient) {}

  /** The default branch of `repository`. */
  async defaultBranch(repository: string, signal: AbortSignal): Promise<string> {
    const { owner, repo } = ownerAndRepo(repository);
    const { data } = await this.client.call(
      contentsContext(repository, `reading ${repository}`, repository),
      signal,
      (octokit, request) => octokit.rest.repos.get({ owner, repo, request }),
    );
    return data.default_branch;
  }

  /** Every file of `repository` at `ref`; `truncated` when GitHub left some out (very large trees). */
  async fileTree(
    repository: string,
    ref: string,
    signal: AbortSignal,
  ): Promise<{ files: TreeFile[]; truncated: boolean }> {
    const { owner, repo } = ownerAndRepo(repository);
    const { data } = await this.client.call(
      contentsContext(repository, `listing the files of ${repository}`, repository),
      signal,
      (octokit, request) => octokit.rest.git.getTree({ owner, repo, tree_sha: ref, recursive: '1', request }),
    );
    const files = data.tree
      .filter((entry) => entry.type === 'blob' && entry.path)
      .map((entry) => ({ path: entry.path, size: entry.size ?? 0 }));
    return { files, truncated: data.truncated };
  }

  /** What is at `path` in `repository` at `ref`. */
  async contentAt(
    repository: string,
    path: string,
    ref: string,
    signal: AbortSignal,
  ): Promise<RepositoryEntry> {
    const subject = `${path} in ${repository}`;
    const { owner, repo } = ownerAndRepo(repository);
    const { data } = await this.client.call(
      contentsContext(repository, `reading ${subject}`, subject),
      signal,
      (octokit, request) => octokit.rest.repos.getContent({ owner, repo, path, ref, request }),
    );
    if (Array.isArray(data)) return { kind: 'directory' };
    if (data.type !== 'file') return { kind: 'other', type: data.type };
    const encoded = 'content' in data ? data.content : undefined;
    const encoding = 'encoding' in data ? data.encoding : undefined;
    const content =
      encoding === 'base64' && (encoded || data.size === 0)
        ? Buffer.from(encoded ?? '', 'base64')
        : undefined;
    return { kind: 'file', size: data.size, content };
  }

  /** Code search inside `repository`: how many files match `query`, and the first `limit` of them. */
  async searchCode(
    repository: string,
    query: string,
    limit: number,
    signal: AbortSignal,
  ): Promise<{ total: number; incomplete: boolean; hits: CodeSearchHit[] }> {
    ownerAndRepo(repository);
    const { data } = await this.client.call(
      contentsContext(repository, `searching the code of ${repository}`, repository),
      signal,
      (octokit, request) =>
        octokit.rest.search.code({
          q: `${query} repo:${repository}`,
          per_page: limit,
          // Asks for the matching fragments (`text_matches`) along with the paths.
          headers: { accept: 'application/vnd.github.text-match+json' },
          request,
        }),
    );
    return {
      total: data.total_count,
      incomplete: data.incomplete_results,
      hits: data.items.slice(0, limit).map((item) => ({
        path: item.path,
        fragments: (item.text_matches ?? [])
          .map((match) => match.fragment)
          .filter((fragment): fragment is string => Boolean(fragment)),
      })),
    };
  }
}

function contentsContext(repository: string, action: string, subject: string): GitHubRequestContext {
  return { repository, action, subject, permission: 'Contents: read' };
}

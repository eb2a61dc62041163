import { createHash } from 'node:crypto';
import { errorAnswer, type Route } from './answers';
import { type FakeUrls, userJson } from './users';

/** A repository as a test describes it: its files by path, on its default branch. */
export interface FakeRepository {
  files: Record<string, string | Buffer>;
  defaultBranch?: string;
  /** Served as GitHub serves a tree too large to answer whole: `truncated: true`. */
  truncatedTree?: boolean;
}

export interface StoredRepository {
  fullName: string;
  defaultBranch: string;
  files: Map<string, Buffer>;
  truncatedTree: boolean;
}

/** The largest file the contents API returns with its content. */
const CONTENTS_API_MAX_BYTES = 1024 * 1024;

/** The repositories, with the routes of their metadata, git trees and contents. */
export class FakeRepositories {
  /** By lower-cased `owner/name`, since GitHub's names are case-insensitive. */
  private readonly repositories = new Map<string, StoredRepository>();

  constructor(private readonly urls: FakeUrls) {}

  add(repository: string, repo: FakeRepository): void {
    this.repositories.set(repository.toLowerCase(), {
      fullName: repository,
      defaultBranch: repo.defaultBranch ?? 'main',
      files: new Map(
        Object.entries(repo.files).map(([path, content]) => [
          path,
          typeof content === 'string' ? Buffer.from(content) : content,
        ]),
      ),
      truncatedTree: repo.truncatedTree ?? false,
    });
  }

  /** The repository `owner/name`, whatever the case. */
  get(repository: string): StoredRepository | undefined {
    return this.repositories.get(repository.toLowerCase());
  }

  routes(): Route[] {
    return [
      {
        method: 'GET',
        pattern: /^\/repos\/([^/]+)\/([^/]+)$/,
        answer: ([owner, repo]) => {
          const stored = this.get(`${owner}/${repo}`);
          return stored
            ? { status: 200, body: repositoryJson(this.urls, stored) }
            : errorAnswer(404, { docs: 'repos/repos#get-a-repository' });
        },
      },
      {
        method: 'GET',
        pattern: /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/(.+)$/,
        answer: ([owner, repo, ref], request) => {
          const stored = this.get(`${owner}/${repo}`);
          if (!stored || ref !== stored.defaultBranch)
            return errorAnswer(404, { docs: 'git/trees#get-a-tree' });
          return { status: 200, body: treeJson(this.urls, stored, request.query.has('recursive')) };
        },
      },
      {
        method: 'GET',
        pattern: /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.*)$/,
        answer: ([owner, repo, path], request) => {
          const stored = this.get(`${owner}/${repo}`);
          const ref = request.query.get('ref') ?? stored?.defaultBranch;
          if (!stored || ref !== stored.defaultBranch)
            return errorAnswer(404, { docs: 'repos/contents#get-repository-content' });
          const file = stored.files.get(path);
          if (file) return { status: 200, body: contentJson(this.urls, stored, path, file, true) };
          const children = [...stored.files.keys()].filter((candidate) => candidate.startsWith(`${path}/`));
          if (children.length === 0)
            return errorAnswer(404, { docs: 'repos/contents#get-repository-content' });
          return { status: 200, body: directoryJson(this.urls, stored, path) };
        },
      },
    ];
  }
}

/** The sha git gives a blob with this content. */
export function blobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export function repositoryJson(urls: FakeUrls, stored: StoredRepository) {
  const [owner, name] = stored.fullName.split('/');
  return {
    id: 1,
    node_id: 'R_fake_1',
    name,
    full_name: stored.fullName,
    private: false,
    owner: userJson(urls, owner),
    html_url: `${urls.webUrl}/${stored.fullName}`,
    description: null,
    fork: false,
    url: `${urls.apiUrl}/repos/${stored.fullName}`,
    default_branch: stored.defaultBranch,
    visibility: 'public',
    has_issues: true,
  };
}

function treeJson(urls: FakeUrls, stored: StoredRepository, recursive: boolean) {
  const directories = new Set<string>();
  for (const path of stored.files.keys()) {
    const segments = path.split('/');
    for (let depth = 1; depth < segments.length; depth++) directories.add(segments.slice(0, depth).join('/'));
  }
  const treeSha = createHash('sha1').update(stored.fullName).digest('hex');
  const entries = [
    ...[...directories].map((path) => ({
      path,
      mode: '040000',
      type: 'tree',
      sha: createHash('sha1').update(path).digest('hex'),
      url: `${urls.apiUrl}/repos/${stored.fullName}/git/trees/${createHash('sha1').update(path).digest('hex')}`,
    })),
    ...[...stored.files.entries()].map(([path, content]) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: blobSha(content),
      size: content.length,
      url: `${urls.apiUrl}/repos/${stored.fullName}/git/blobs/${blobSha(content)}`,
    })),
  ]
    .filter((entry) => recursive || !entry.path.includes('/'))
    .sort((a, b) => a.path.localeCompare(b.path));
  return {
    sha: treeSha,
    url: `${urls.apiUrl}/repos/${stored.fullName}/git/trees/${treeSha}`,
    tree: entries,
    truncated: stored.truncatedTree,
  };
}

function contentJson(
  urls: FakeUrls,
  stored: StoredRepository,
  path: string,
  content: Buffer,
  withContent: boolean,
) {
  const sha = blobSha(content);
  const self = `${urls.apiUrl}/repos/${stored.fullName}/contents/${path}?ref=${stored.defaultBranch}`;
  const html = `${urls.webUrl}/${stored.fullName}/blob/${stored.defaultBranch}/${path}`;
  const git = `${urls.apiUrl}/repos/${stored.fullName}/git/blobs/${sha}`;
  const fits = content.length <= CONTENTS_API_MAX_BYTES;
  return {
    type: 'file',
    ...(withContent && {
      // GitHub wraps the base64 at 60 characters; a file past 1 MB comes without its content.
      encoding: fits ? 'base64' : 'none',
      content: fits ? (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') : '',
    }),
    size: content.length,
    name: path.split('/').at(-1),
    path,
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: `https://raw.githubusercontent.com/${stored.fullName}/${stored.defaultBranch}/${path}`,
    _links: { self, git, html },
  };
}

function directoryJson(urls: FakeUrls, stored: StoredRepository, directory: string) {
  const children = new Map<string, 'file' | 'dir'>();
  for (const path of stored.files.keys()) {
    if (!path.startsWith(`${directory}/`)) continue;
    const [name, ...rest] = path.slice(directory.length + 1).split('/');
    children.set(`${directory}/${name}`, rest.length > 0 ? 'dir' : 'file');
  }
  return [...children.entries()].map(([path, type]) => {
    const file = stored.files.get(path);
    return type === 'file' && file
      ? contentJson(urls, stored, path, file, false)
      : {
          type: 'dir',
          size: 0,
          name: path.split('/').at(-1),
          path,
          sha: createHash('sha1').update(path).digest('hex'),
          url: `${urls.apiUrl}/repos/${stored.fullName}/contents/${path}?ref=${stored.defaultBranch}`,
          html_url: `${urls.webUrl}/${stored.fullName}/tree/${stored.defaultBranch}/${path}`,
          git_url: null,
          download_url: null,
        };
  });
}

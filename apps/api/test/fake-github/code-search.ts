import { type Answer, errorAnswer, type RecordedRequest, type Route, validationFailed } from './answers';
import { blobSha, type FakeRepositories, repositoryJson } from './repositories';
import type { FakeUrls } from './users';

/** `GET /search/code` over the fake's repositories. */
export function codeSearchRoute(urls: FakeUrls, repositories: FakeRepositories): Route {
  return {
    method: 'GET',
    pattern: /^\/search\/code$/,
    answer: (_params, request) => searchCode(urls, repositories, request),
  };
}

/** Code search as GitHub does it, roughly: every term must occur in the file; `repo:` is required. */
function searchCode(urls: FakeUrls, repositories: FakeRepositories, request: RecordedRequest): Answer {
  if (!request.headers.authorization) return errorAnswer(401, { message: 'Requires authentication' });
  const terms = (request.query.get('q') ?? '').split(/\s+/).filter(Boolean);
  const scope = terms.find((term) => term.startsWith('repo:'))?.slice('repo:'.length);
  const words = terms.filter((term) => !/^[a-z]+:/i.test(term)).map((word) => word.toLowerCase());
  const stored = scope ? repositories.get(scope) : undefined;
  if (!stored || words.length === 0) {
    return validationFailed(
      'Search',
      'q',
      'invalid',
      'The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.',
    );
  }
  const perPage = Math.min(Number(request.query.get('per_page') ?? 30) || 30, 100);
  const textMatches = String(request.headers.accept ?? '').includes('text-match');
  const found = [...stored.files.entries()].filter(([, content]) => {
    const text = content.toString('utf8').toLowerCase();
    return words.every((word) => text.includes(word));
  });
  const items = found.slice(0, perPage).map(([path, content]) => ({
    name: path.split('/').at(-1),
    path,
    sha: blobSha(content),
    url: `${urls.apiUrl}/repositories/1/contents/${path}?ref=${blobSha(content)}`,
    git_url: `${urls.apiUrl}/repositories/1/git/blobs/${blobSha(content)}`,
    html_url: `${urls.webUrl}/${stored.fullName}/blob/${stored.defaultBranch}/${path}`,
    repository: repositoryJson(urls, stored),
    score: 1,
    ...(textMatches && { text_matches: [textMatch(urls, path, content.toString('utf8'), words[0])] }),
  }));
  return { status: 200, body: { total_count: found.length, incomplete_results: false, items } };
}

function textMatch(urls: FakeUrls, path: string, text: string, word: string) {
  const at = text.toLowerCase().indexOf(word);
  const start = Math.max(0, text.lastIndexOf('\n', Math.max(0, at - 40)) + 1);
  const fragment = text.slice(start, Math.min(text.length, at + word.length + 80));
  const index = at - start;
  return {
    object_url: `${urls.apiUrl}/repositories/1/contents/${path}`,
    object_type: 'FileContent',
    property: 'content',
    fragment,
    matches: [{ text: fragment.slice(index, index + word.length), indices: [index, index + word.length] }],
  };
}

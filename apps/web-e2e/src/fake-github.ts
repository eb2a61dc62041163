/**
 * A GitHub for the browser tests, run as its own process beside the API (playwright.config.ts): every issue
 * number of every repository exists, and comments are kept in memory, so a test reads back what was posted
 * through the same REST route GitHub has. Run directly by Node (types stripped), so it imports nothing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const port = Number(process.env['PORT'] ?? 3101);
const webUrl = 'https://github.com';
const author = { login: 'octocat', id: 1, type: 'User' };

interface Comment {
  id: number;
  body: string;
  html_url: string;
  user: typeof author;
  created_at: string;
  updated_at: string;
}

const comments = new Map<string, Comment[]>();
let nextId = 1;

function issueJson(owner: string, repo: string, number: number) {
  return {
    id: number,
    number,
    title: `Saving a draft crashes the editor (#${number})`,
    body: 'When I click **Save** on a draft with an attachment, the editor crashes.\n\nVersion 4.2.1.',
    state: 'open',
    html_url: `${webUrl}/${owner}/${repo}/issues/${number}`,
    user: author,
    labels: [{ name: 'bug' }],
    comments: comments.get(`${owner}/${repo}#${number}`)?.length ?? 0,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<{ body?: unknown }> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as { body?: unknown };
  } catch {
    return {};
  }
}

const server = createServer((req, res) => {
  void (async () => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') return send(res, 200, { ok: true });
    const match = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)(\/comments)?$/.exec(path);
    if (!match) return send(res, 404, { message: 'Not Found' });
    const [, owner, repo, number, commentsPath] = match;
    const key = `${owner}/${repo}#${number}`;
    if (!commentsPath && req.method === 'GET') return send(res, 200, issueJson(owner, repo, Number(number)));
    if (commentsPath && req.method === 'GET') return send(res, 200, comments.get(key) ?? []);
    if (commentsPath && req.method === 'POST') {
      const { body } = await readBody(req);
      if (typeof body !== 'string') return send(res, 422, { message: 'Validation Failed' });
      const id = nextId++;
      const at = new Date().toISOString();
      const comment = {
        id,
        body,
        html_url: `${webUrl}/${owner}/${repo}/issues/${number}#issuecomment-${id}`,
        user: author,
        created_at: at,
        updated_at: at,
      };
      comments.set(key, [...(comments.get(key) ?? []), comment]);
      return send(res, 201, comment);
    }
    send(res, 404, { message: 'Not Found' });
  })();
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));

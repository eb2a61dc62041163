import { JwtService } from '@nestjs/jwt';
import type { TestApp } from '../test-app';
import { PROTECTED, type ProtectedApp, SECRET, startProtectedApp } from './protected-app';

/** A token that is not one the server would accept, and how it was made. */
type BadToken = (api: TestApp) => string;

const nowInSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const expiredToken: BadToken = () =>
  new JwtService({ secret: SECRET }).sign({ sub: 'alice', exp: nowInSeconds() - 60 });

const FORGED: [string, BadToken][] = [
  [
    'a token signed with another secret',
    () =>
      new JwtService({ secret: 'not-the-server-secret-0123456789abcdef' }).sign(
        { sub: 'alice' },
        { expiresIn: 3600 },
      ),
  ],
  [
    'an unsigned token (alg none)',
    () =>
      `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'alice', exp: nowInSeconds() + 3600 })}.`,
  ],
  [
    "alice's token with its payload changed to bob",
    (api) => {
      const [header, payload, signature] = api.tokens.alice.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
      return [header, base64url({ ...claims, sub: 'bob' }), signature].join('.');
    },
  ],
];

/** How a token is presented: as a service would, or as the browser would (with its CSRF proof). */
const TRANSPORTS: [string, (token: string) => Record<string, string>][] = [
  ['as a bearer token', (token) => ({ authorization: `Bearer ${token}` })],
  [
    'as the session cookie',
    (token) => ({ cookie: `issuecast_session=${token}; issuecast_csrf=proof`, 'x-csrf-token': 'proof' }),
  ],
];

describe('credentials', () => {
  let app: ProtectedApp;

  beforeAll(async () => (app = await startProtectedApp()));
  afterAll(() => app.close());

  describe('without credentials', () => {
    it.each(PROTECTED)('%s answers 401 asking to sign in, and does nothing', async (_name, route) => {
      const { response, body } = await app.denied(() => app.send(route, {}));

      expect(response.status).toBe(401);
      expect(body.message).toMatch(/sign in/i);
    });
  });

  describe('a wrong password', () => {
    it.each([
      ['a wrong password', { username: 'alice', password: 'bob-password' }],
      ['an unknown user', { username: 'mallory', password: 'alice-password' }],
    ])('answers 401 to %s at sign-in, with no token and no cookie', async (_case, credentials) => {
      const { response, body } = await app.denied(() =>
        app.api.request('/api/auth/login', { method: 'POST', as: 'anonymous', body: credentials }),
      );

      expect(response.status).toBe(401);
      expect(body.message).toBe('Wrong username or password');
      expect(body).not.toHaveProperty('token');
    });
  });

  describe('an expired token', () => {
    it.each(
      PROTECTED.flatMap(([name, route]) =>
        TRANSPORTS.map(([how, present]) => [name, how, route, present] as const),
      ),
    )('%s answers 401 saying the session expired, %s', async (_name, _how, route, present) => {
      const { response, body } = await app.denied(() => app.send(route, present(expiredToken(app.api))));

      expect(response.status).toBe(401);
      expect(body.message).toMatch(/expired/);
    });
  });

  describe('a forged token', () => {
    const cases = PROTECTED.flatMap(([name, route]) =>
      FORGED.flatMap(([forgery, forge]) =>
        TRANSPORTS.map(([how, present]) => [name, forgery, how, route, forge, present] as const),
      ),
    );

    it.each(cases)('%s answers 401 to %s, %s', async (_name, _forgery, _how, route, forge, present) => {
      const { response, body } = await app.denied(() => app.send(route, present(forge(app.api))));

      expect(response.status).toBe(401);
      expect(body.message).toMatch(/not valid/);
    });
  });

  describe('open routes', () => {
    it.each(['/api/health', '/api/docs', '/api/docs-json'])(
      '%s answers 200 without credentials',
      async (path) => {
        const response = await app.api.request(path, { as: 'anonymous' });

        expect(response.status).toBe(200);
        await response.body?.cancel();
      },
    );

    it('lets someone who is not signed in sign in', async () => {
      const response = await app.api.request('/api/auth/login', {
        method: 'POST',
        as: 'anonymous',
        body: { username: 'bob', password: 'bob-password' },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ user: { username: 'bob' } });
    });
  });
});

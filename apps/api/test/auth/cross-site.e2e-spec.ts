import {
  ALLOWED_ORIGIN,
  PROTECTED,
  type ProtectedApp,
  type Route,
  SAFE,
  STATE_CHANGING,
  startProtectedApp,
} from './protected-app';

describe('cross-site requests', () => {
  let app: ProtectedApp;

  beforeAll(async () => (app = await startProtectedApp()));
  afterAll(() => app.close());

  describe('cross-site request forgery', () => {
    const csrfCases: [string, (csrfToken: string) => Record<string, string>][] = [
      ['without X-CSRF-Token', () => ({})],
      ['with a wrong X-CSRF-Token', (csrfToken) => ({ 'x-csrf-token': `${csrfToken.slice(1)}x` })],
      ['with an X-CSRF-Token but no CSRF cookie', (csrfToken) => ({ 'x-csrf-token': csrfToken })],
    ];
    const cases = STATE_CHANGING.flatMap(([name, route]) =>
      csrfCases.map(([proof, headers]) => [name, proof, route, headers] as const),
    );

    it.each(cases)(
      '%s authenticated by the cookie answers 403 %s, and does nothing',
      async (_name, proof, route, headers) => {
        const cookie = proof.includes('no CSRF cookie')
          ? app.browser.cookie.replace(/; ?issuecast_csrf=[^;]*/, '')
          : app.browser.cookie;

        const { response, body } = await app.denied(() =>
          app.send(route, { cookie, ...headers(app.browser.csrfToken) }),
        );

        expect(response.status).toBe(403);
        expect(body.message).toMatch(/x-csrf-token/i);
      },
    );

    it('lets the same cookie-authenticated start through when the header echoes the CSRF cookie', async () => {
      const response = await app.send(PROTECTED[0][1], {
        cookie: app.browser.cookie,
        'x-csrf-token': app.browser.csrfToken,
      });

      expect(response.status).toBe(202);
    });

    it('does not ask a bearer request for CSRF proof', async () => {
      const response = await app.send(PROTECTED[0][1], {}, 'alice');

      expect(response.status).toBe(202);
    });
  });

  describe('a foreign Origin', () => {
    const FOREIGN = ['https://evil.example', 'null'];
    const cases = [
      ...STATE_CHANGING,
      [
        'POST /api/auth/login',
        {
          method: 'POST',
          path: '/api/auth/login',
          body: { username: 'alice', password: 'alice-password' },
        },
      ] as [string, Route],
    ].flatMap(([name, route]) => FOREIGN.map((origin) => [name, origin, route] as const));

    it.each(cases)(
      '%s from Origin %s answers 403 naming the origin, even with a valid bearer token',
      async (_name, origin, route) => {
        const { response, body } = await app.denied(() => app.send(route, { origin }, 'alice'));

        expect(response.status).toBe(403);
        expect(body.message).toBe(`Requests from ${origin} are not allowed`);
      },
    );

    it.each(STATE_CHANGING.map(([name, route]) => [name, route] as const))(
      '%s from a foreign Origin answers 403 even with the cookie and its CSRF proof',
      async (_name, route) => {
        const { response, body } = await app.denied(() =>
          app.send(route, {
            origin: 'https://evil.example',
            cookie: app.browser.cookie,
            'x-csrf-token': app.browser.csrfToken,
          }),
        );

        expect(response.status).toBe(403);
        expect(body.message).toMatch(/evil\.example/);
      },
    );

    it.each(SAFE)('%s from a foreign Origin answers 403 too, with no CORS grant', async (_name, route) => {
      const { response, body } = await app.denied(() =>
        app.send(route, { origin: 'https://evil.example' }, 'alice'),
      );

      expect(response.status).toBe(403);
      expect(body.message).toBe('Requests from https://evil.example are not allowed');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('accepts a POST from the app’s own origin and from an origin in CORS_ORIGINS', async () => {
      const own = await app.send(PROTECTED[0][1], { origin: app.api.baseUrl }, 'alice');
      const configured = await app.send(PROTECTED[0][1], { origin: ALLOWED_ORIGIN }, 'alice');

      expect(own.status).toBe(202);
      expect(configured.status).toBe(202);
      expect(configured.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    });
  });
});

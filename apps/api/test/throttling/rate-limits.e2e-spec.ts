import { type TestApp } from '../test-app';
import {
  expectTooMany,
  runsOf,
  start,
  startRun,
  untilNotLimited,
  WAITS_FOR_A_WINDOW,
  WINDOW_MS,
  withApp,
} from './limited-app';

describe('rate limits', () => {
  it(
    'refuses a 4th sign-in from one IP within the window with 429 and Retry-After, even with the right password, and lets it in once the window has passed',
    () =>
      withApp({ RATE_LIMIT_WINDOW_MS: WINDOW_MS, RATE_LIMIT_LOGINS: '3' }, async (api) => {
        const attempt = (password: string) =>
          api.request('/api/auth/login', {
            method: 'POST',
            as: 'anonymous',
            body: { username: 'alice', password },
          });
        // The test app signed alice and bob in as it started: use up that window, then wait it out.
        for (let tries = 1; (await attempt('alice-password')).status !== 429; tries++) {
          expect(tries).toBeLessThan(4);
        }
        const first = await untilNotLimited(() => attempt('alice-password'));
        const second = await attempt('wrong-password');
        const third = await attempt('wrong-password');
        const fourth = await attempt('alice-password');

        expect(first.status).toBe(200);
        expect(second.status).toBe(401);
        expect(third.status).toBe(401);
        await expectTooMany(fourth, /too many requests/i);
        expect(fourth.headers.getSetCookie()).toEqual([]);

        const later = await untilNotLimited(() => attempt('alice-password'));
        expect(later.status).toBe(200);
        expect(await later.json()).toMatchObject({ user: { username: 'alice' } });
      }),
    WAITS_FOR_A_WINDOW,
  );

  describe('behind a proxy', () => {
    const login = (api: TestApp, forwardedFor: string, password = 'alice-password') =>
      api.request('/api/auth/login', {
        method: 'POST',
        as: 'anonymous',
        body: { username: 'alice', password },
        headers: { 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'https' },
      });

    it.each(['loopback', '1'])(
      'counts sign-ins per forwarded client address and marks the cookie Secure with TRUST_PROXY=%s',
      (trustProxy) =>
        withApp({ RATE_LIMIT_LOGINS: '3', TRUST_PROXY: trustProxy }, async (api) => {
          for (let attempt = 0; attempt < 3; attempt++) {
            expect((await login(api, '203.0.113.7', 'wrong-password')).status).toBe(401);
          }
          await expectTooMany(await login(api, '203.0.113.7'), /too many requests/i);

          const other = await login(api, '203.0.113.8');
          expect(other.status).toBe(200);
          expect(other.headers.getSetCookie().join('\n')).toMatch(/; Secure/);
        }),
    );

    it('ignores X-Forwarded-For and X-Forwarded-Proto without TRUST_PROXY: a header cannot dodge the limit', () =>
      withApp({ RATE_LIMIT_LOGINS: '3' }, async (api) => {
        // The test app's own two sign-ins came from this address too.
        const third = await login(api, '203.0.113.7');
        expect(third.status).toBe(200);
        expect(third.headers.getSetCookie().join('\n')).not.toMatch(/; Secure/);

        await expectTooMany(await login(api, '203.0.113.8'), /too many requests/i);
      }));
  });

  it(
    'refuses a user’s 3rd run start within the window with 429 and starts nothing, leaves other users alone, and lets them start once the window has passed',
    () =>
      withApp({ RATE_LIMIT_WINDOW_MS: WINDOW_MS, RATE_LIMIT_RUN_STARTS: '2' }, async (api) => {
        await startRun(api);
        await startRun(api);

        await expectTooMany(await start(api), /too many requests/i);
        expect(await runsOf(api)).toHaveLength(2);
        expect((await start(api, 'bob')).status).toBe(202);

        const later = await untilNotLimited(() => start(api));
        expect(later.status).toBe(202);
        expect(await runsOf(api)).toHaveLength(3);
      }),
    WAITS_FOR_A_WINDOW,
  );

  it(
    'refuses a user’s 4th connection to event streams within the window with 429 before any stream starts, leaves other users alone, and lets them connect once the window has passed',
    () =>
      withApp({ RATE_LIMIT_WINDOW_MS: WINDOW_MS, RATE_LIMIT_STREAM_CONNECTS: '3' }, async (api) => {
        const { eventsUrl } = await startRun(api);
        const bobRun = await startRun(api, 'bob');
        for (let connection = 1; connection <= 3; connection++) {
          expect((await api.readSse(eventsUrl)).status).toBe(200);
        }

        const refused = await api.openSse(eventsUrl);
        await expectTooMany(refused, /too many requests/i);
        expect(refused.events).toEqual([]);
        expect((await api.readSse(bobRun.eventsUrl, {}, 'bob')).status).toBe(200);

        const later = await untilNotLimited(() => api.readSse(eventsUrl));
        expect(later.status).toBe(200);
        expect(later.events.at(-1)?.type).toBe('complete');
      }),
    WAITS_FOR_A_WINDOW,
  );
});

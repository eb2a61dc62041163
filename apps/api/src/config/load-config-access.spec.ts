import 'reflect-metadata';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configErrorOf } from '../../test/config-error-of';
import { IN_MEMORY_DATA_DIR } from './app-config';
import { loadConfig } from './load-config';
import { SIGNING_SECRET_FILE } from './signing-secret';

describe(`${loadConfig.name}: sign-in and origins`, () => {
  const USERS = 'alice:correct-horse,bob:battery-staple';
  const SECRET = 'a-signing-secret-of-at-least-32-chars';

  it('refuses to start in production without AUTH_USERS and AUTH_JWT_SECRET, naming both', () => {
    const { message } = configErrorOf({ NODE_ENV: 'production' });

    expect(message).toContain('AUTH_USERS and AUTH_JWT_SECRET must be set in production');
  });

  it.each([
    ['AUTH_USERS', 'AUTH_JWT_SECRET', { AUTH_JWT_SECRET: SECRET }],
    ['AUTH_JWT_SECRET', 'AUTH_USERS', { AUTH_USERS: USERS }],
  ])('refuses to start in production without %s, naming only it', (missing, given, env) => {
    const { message } = configErrorOf({ NODE_ENV: 'production', ...env });

    expect(message).toContain(`${missing} must be set in production`);
    expect(message).not.toContain(given);
  });

  it('starts in production with users and a secret', () => {
    const config = loadConfig({ NODE_ENV: 'production', AUTH_USERS: USERS, AUTH_JWT_SECRET: SECRET });

    expect(config.auth).toMatchObject({ users: USERS, jwtSecret: SECRET });
  });

  it('outside production, with neither set, leaves the demo user in place and a random secret', () => {
    const first = loadConfig({});
    const second = loadConfig({});

    expect(first.auth.users).toBeUndefined();
    expect(first.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.auth.jwtSecret).not.toBe(first.auth.jwtSecret);
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'example.org'])(
    'refuses HOST=%s without AUTH_USERS and AUTH_JWT_SECRET, naming both',
    (host) => {
      const { message } = configErrorOf({ HOST: host });

      expect(message).toContain(`AUTH_USERS and AUTH_JWT_SECRET must be set to listen beyond loopback`);
    },
  );

  it.each(['127.0.0.1', '127.0.1.1', 'localhost', '::1', '[::1]'])(
    'starts on HOST=%s with nothing configured',
    (host) => {
      expect(loadConfig({ HOST: host }).http.host).toBe(host);
    },
  );

  it('listens beyond loopback once users and a secret are set', () => {
    expect(loadConfig({ HOST: '0.0.0.0', AUTH_USERS: USERS, AUTH_JWT_SECRET: SECRET }).http.host).toBe(
      '0.0.0.0',
    );
  });

  it('keeps a generated secret in DATA_DIR, readable by its owner only, the same on the next start', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'issuecast-data-'));
    const options = { persistGeneratedSecret: true };

    const first = loadConfig({ DATA_DIR: dataDir }, options);
    const second = loadConfig({ DATA_DIR: dataDir }, options);

    expect(second.auth.jwtSecret).toBe(first.auth.jwtSecret);
    expect(readFileSync(join(dataDir, SIGNING_SECRET_FILE), 'utf8').trim()).toBe(first.auth.jwtSecret);
    expect(statSync(join(dataDir, SIGNING_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET }, options).auth.jwtSecret).toBe(SECRET);
    rmSync(dataDir, { recursive: true });
  });

  it('keeps nothing on disk for DATA_DIR=:memory:, a new secret each start', () => {
    const options = { persistGeneratedSecret: true };

    const first = loadConfig({ DATA_DIR: IN_MEMORY_DATA_DIR }, options);
    const second = loadConfig({ DATA_DIR: IN_MEMORY_DATA_DIR }, options);

    expect(first.store.dataDir).toBe(':memory:');
    expect(second.auth.jwtSecret).not.toBe(first.auth.jwtSecret);
    expect(existsSync(resolve(IN_MEMORY_DATA_DIR))).toBe(false);
  });

  it.each([
    ['a name without a password', 'alice'],
    ['a name with an empty password', 'alice:'],
    ['a password without a name', ':hunter2'],
    ['a name and a password without the colon', 'alice hunter2'],
    ['a second pair without a password', 'alice:hunter2,bob'],
    ['an empty pair', 'alice:hunter2,,bob:hunter3'],
  ])('refuses AUTH_USERS with %s, naming AUTH_USERS without showing its value', (_case, value) => {
    const { message } = configErrorOf({ AUTH_USERS: value });

    expect(message).toContain('AUTH_USERS=(hidden): must be name:password pairs');
    expect(message).not.toContain(value);
    expect(message).not.toContain('hunter2');
  });

  it('refuses an AUTH_JWT_SECRET shorter than 32 characters, naming it without showing it', () => {
    const short = 'x'.repeat(31);

    const { message } = configErrorOf({ AUTH_JWT_SECRET: short });

    expect(message).toContain('AUTH_JWT_SECRET=(hidden): must be at least 32 characters');
    expect(message).not.toContain(short);
    expect(loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32) }).auth.jwtSecret).toBe('x'.repeat(32));
  });

  it.each([
    ['a host without a scheme', 'app.example.com'],
    ['another scheme', 'ftp://app.example.com'],
    ['a wildcard', '*'],
    ['a space after the comma', 'https://a.example.com, https://b.example.com'],
    ['a trailing comma', 'https://a.example.com,'],
    ['a trailing slash, which no Origin header has', 'https://app.example.com/'],
    ['a path', 'https://app.example.com/app'],
  ])('refuses CORS_ORIGINS with %s, naming it', (_case, value) => {
    const { message } = configErrorOf({ CORS_ORIGINS: value });

    expect(message).toContain(
      `CORS_ORIGINS=${JSON.stringify(value)}: must be comma-separated http(s) origins`,
    );
  });

  it('accepts CORS_ORIGINS as comma-separated origins, ports included', () => {
    const origins = 'https://triage.example.com,http://localhost:4200';

    expect(loadConfig({ CORS_ORIGINS: origins }).http.corsOrigins).toEqual([
      'https://triage.example.com',
      'http://localhost:4200',
    ]);
  });

  it.each([
    ['everything, which would let any client choose its address', 'true'],
    ['a host name', 'proxy.internal'],
    ['a space after the comma', 'loopback, 10.0.0.0/8'],
    ['a trailing comma', '10.0.0.1,'],
    ['an address out of range', '999.1.1.1'],
    ['a prefix longer than the address', '10.0.0.0/33'],
    ['a malformed IPv6 address', '::::'],
    ['a subnet of every address', '0.0.0.0/0'],
  ])('refuses TRUST_PROXY with %s, naming it', (_case, value) => {
    const { message } = configErrorOf({ TRUST_PROXY: value });

    expect(message).toContain(`TRUST_PROXY=${JSON.stringify(value)}: must be a number of hops`);
  });

  it.each([
    ['2', 2],
    ['loopback', 'loopback'],
    ['10.0.0.0/8,fd00::/8', '10.0.0.0/8,fd00::/8'],
    ['192.168.1.10,uniquelocal', '192.168.1.10,uniquelocal'],
    ['::1', '::1'],
  ])('accepts TRUST_PROXY=%s, a hop count as a number for Express', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).http.trustProxy).toBe(expected);
  });
});

import 'reflect-metadata';
import { configErrorOf } from '../../test/config-error-of';
import { loadConfig } from './load-config';

const OIDC = {
  OIDC_ISSUER_URL: 'https://login.example.com/realms/acme',
  OIDC_CLIENT_ID: 'issuecast',
  OIDC_CLIENT_SECRET: 'client-secret-that-is-never-shown',
  PUBLIC_URL: 'https://issuecast.example.com',
};

describe('loadConfig for OpenID Connect', () => {
  it('leaves OpenID Connect off, and the demo user on, when none of its variables is set', () => {
    const config = loadConfig({});

    expect(config.oidc.client).toBeUndefined();
    expect(config.auth.users).toBeUndefined();
  });

  it('builds the redirect URI from PUBLIC_URL and gives the documented defaults', () => {
    expect(loadConfig(OIDC).oidc.client).toEqual({
      issuerUrl: OIDC.OIDC_ISSUER_URL,
      clientId: 'issuecast',
      clientSecret: OIDC.OIDC_CLIENT_SECRET,
      redirectUri: 'https://issuecast.example.com/api/auth/oidc/callback',
      postLogoutRedirectUri: 'https://issuecast.example.com/sign-in',
      providerName: 'SSO',
      scopes: 'openid profile email',
      usernameClaims: ['preferred_username', 'email', 'sub'],
      allowedGroups: [],
    });
  });

  it('takes the name, scopes, username claim and allowed groups it is given', () => {
    const { client } = loadConfig({
      ...OIDC,
      OIDC_PROVIDER_NAME: 'Okta',
      OIDC_SCOPES: 'openid email groups',
      OIDC_USERNAME_CLAIM: 'email',
      OIDC_ALLOWED_GROUPS: 'triagers, maintainers',
    }).oidc;

    expect(client).toMatchObject({
      providerName: 'Okta',
      scopes: 'openid email groups',
      usernameClaims: ['email'],
      allowedGroups: ['triagers', 'maintainers'],
    });
  });

  it('names the variables missing beside the ones given, and never shows the secret', () => {
    const { message } = configErrorOf({
      OIDC_ISSUER_URL: OIDC.OIDC_ISSUER_URL,
      OIDC_CLIENT_SECRET: OIDC.OIDC_CLIENT_SECRET,
    });

    expect(message).toContain('OpenID Connect sign-in also needs OIDC_CLIENT_ID and PUBLIC_URL');
    expect(message).not.toContain(OIDC.OIDC_CLIENT_SECRET);
  });

  it('makes AUTH_USERS optional in production, with password sign-in then off', () => {
    const config = loadConfig({ ...OIDC, NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) });

    expect(config.auth.users).toBe('');
  });

  it('still needs AUTH_JWT_SECRET in production', () => {
    expect(configErrorOf({ ...OIDC, NODE_ENV: 'production' }).message).toContain(
      'AUTH_JWT_SECRET must be set in production',
    );
  });

  it.each([
    ['OIDC_ISSUER_URL', 'http://login.example.com', 'must be an https URL (http only on localhost)'],
    ['PUBLIC_URL', 'https://issuecast.example.com/', 'must have no query, fragment or trailing slash'],
    ['OIDC_SCOPES', 'profile email', 'must be space-separated scopes, openid among them'],
    ['OIDC_SCOPES', 'openidx profile', 'must be space-separated scopes, openid among them'],
  ])('refuses %s=%s', (variable, value, problem) => {
    expect(configErrorOf({ ...OIDC, [variable]: value }).message).toContain(
      `${variable}=${JSON.stringify(value)}: ${problem}`,
    );
  });

  it('takes an http issuer on loopback, for a provider on the same machine', () => {
    expect(loadConfig({ ...OIDC, OIDC_ISSUER_URL: 'http://127.0.0.1:4011' }).oidc.client?.issuerUrl).toBe(
      'http://127.0.0.1:4011',
    );
  });
});

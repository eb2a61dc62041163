// A real OpenID Provider (the `oidc-provider` package) for the tests: the API's specs and the browser
// tests start it as a child process. It prints `{"issuer": "http://127.0.0.1:PORT"}` once it listens.
//
// Environment: PORT (0 for a free one), OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET,
// OIDC_TEST_REDIRECT_URIS and OIDC_TEST_POST_LOGOUT_REDIRECT_URIS (comma-separated).
//
// Its dev interactions sign in any login with any password; the login names the groups claim:
// `mallory` is in `contractors`, everyone else in `triagers`. `POST /__test/id-token` with a JSON object
// of claims makes the next token response carry an ID token with those claims changed (signed with the
// provider's own key): how the specs get a wrong issuer, audience, nonce or expiry from a real provider.
import { exportJWK, generateKeyPair, SignJWT, decodeJwt } from 'jose';
import Provider from 'oidc-provider';

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const listOf = (value) => (value ?? '').split(',').filter(Boolean);

const port = Number(process.env.PORT ?? 0);
const server = await new Promise((resolve) => {
  // The issuer must be known before the provider is made, so the port is taken first.
  import('node:http').then(({ createServer }) => {
    const listening = createServer();
    listening.listen(port, '127.0.0.1', () => resolve(listening));
  });
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID ?? 'issuecast',
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET ?? 'issuecast-test-secret',
      redirect_uris: listOf(process.env.OIDC_TEST_REDIRECT_URIS),
      post_logout_redirect_uris: listOf(process.env.OIDC_TEST_POST_LOGOUT_REDIRECT_URIS),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [signingKey] },
  claims: {
    openid: ['sub'],
    profile: ['preferred_username', 'name'],
    email: ['email'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'email', 'groups'],
  // Scoped claims in the ID token itself, as Okta and Keycloak can be configured to send them.
  conformIdTokenClaims: false,
  findAccount: (_ctx, accountId) => ({
    accountId,
    claims: () => ({
      sub: accountId,
      preferred_username: accountId,
      name: accountId,
      email: `${accountId}@example.test`,
      groups: accountId === 'mallory' ? ['contractors'] : ['triagers'],
    }),
  }),
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
});
provider.proxy = false;

let nextIdTokenClaims;
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/__test/id-token') {
    nextIdTokenClaims = JSON.parse(await readBody(ctx.req));
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && nextIdTokenClaims) {
    const claims = { ...decodeJwt(ctx.body.id_token), ...nextIdTokenClaims };
    nextIdTokenClaims = undefined;
    ctx.body = { ...ctx.body, id_token: await signed(claims) };
  }
});

async function signed(claims) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid }).sign(privateKey);
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(body || '{}'));
    request.on('error', reject);
  });
}

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));

import { OIDC_LOGIN_PATH, type OidcRefusal, type SignInProviders } from '@issuecast/workflows-api';
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import * as openid from 'openid-client';
import { AuthConfig, OidcConfig, type OidcClientSettings } from '../../config/app-config';
import { describeError, OidcDiscovery } from './oidc-discovery';
import { OidcRefused } from './oidc-refused';
import { type OidcTransaction, OidcTransactionSeal } from './oidc-transaction';
import { safeReturnTo } from './return-to';

/** Where the browser goes to sign in, and the sealed transaction it keeps meanwhile. */
export interface OidcStart {
  authorizationUrl: string;
  sealedTransaction: string;
}

/** Who the provider signed in, and the ID token that ends their session there. */
export interface OidcIdentity {
  username: string;
  idToken: string;
  returnTo: string;
}

/** Token-endpoint failures that are the network's or the provider's, not the answer's. */
const UNREACHABLE_CODES = new Set(['OAUTH_TIMEOUT', 'OAUTH_RESPONSE_IS_NOT_CONFORM']);

/**
 * The authorization code flow with PKCE, `state` and `nonce`, through `openid-client`: the redirect to
 * the provider, then the callback's checks (the transaction, the code exchange, the ID token's issuer,
 * audience, nonce and expiry, the allowed groups) ending in the user's name, or an {@link OidcRefused}.
 */
@Injectable()
export class OidcSignIn {
  private readonly seal: OidcTransactionSeal;

  constructor(
    auth: AuthConfig,
    private readonly oidc: OidcConfig,
    private readonly discovery: OidcDiscovery,
  ) {
    this.seal = new OidcTransactionSeal(auth.jwtSecret);
  }

  /** Answers 503 while the provider has not been discovered. */
  async start(returnTo: unknown): Promise<OidcStart> {
    const { client, configuration } = this.provider();
    const transaction: OidcTransaction = {
      codeVerifier: openid.randomPKCECodeVerifier(),
      state: openid.randomState(),
      nonce: openid.randomNonce(),
      returnTo: safeReturnTo(returnTo),
    };
    const authorizationUrl = openid.buildAuthorizationUrl(configuration, {
      redirect_uri: client.redirectUri,
      scope: client.scopes,
      code_challenge: await openid.calculatePKCECodeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return {
      authorizationUrl: authorizationUrl.href,
      sealedTransaction: this.seal.seal(transaction, Date.now()),
    };
  }

  /** The callback's query string (`code`, `state` … or `error`) and the transaction cookie's value. */
  async finish(query: string, sealedTransaction: string | undefined): Promise<OidcIdentity> {
    const parameters = new URLSearchParams(query);
    const error = parameters.get('error');
    if (error !== null) {
      const reason = error === 'access_denied' ? 'oidc_denied' : 'oidc_provider_error';
      throw new OidcRefused(reason, `the provider answered error=${error.slice(0, 100)}`);
    }
    const opened = this.seal.open(sealedTransaction, Date.now());
    if ('refused' in opened) {
      throw new OidcRefused(
        opened.refused === 'tampered' ? 'oidc_state' : 'oidc_expired',
        `the transaction cookie is ${opened.refused}`,
      );
    }
    const { transaction } = opened;
    if (parameters.get('state') !== transaction.state) {
      throw new OidcRefused('oidc_state', 'the state is not the one sent', transaction.returnTo);
    }
    const { client, configuration } = this.provider(transaction.returnTo);
    const claims = await this.redeem(configuration, client, parameters, transaction);
    return { ...identityOf(client, claims, transaction.returnTo), returnTo: transaction.returnTo };
  }

  /** The ways to sign in, for the web app's sign-in page. */
  providers(password: boolean): SignInProviders {
    const { client } = this.oidc;
    return client
      ? { password, oidc: { name: client.providerName, loginUrl: OIDC_LOGIN_PATH } }
      : { password };
  }

  /** The provider's sign-out for an SSO session, when its metadata offers one. */
  endSessionUrl(idToken: string | undefined): string | undefined {
    const { client } = this.oidc;
    const configuration = this.discovery.configuration;
    if (!client || !configuration?.serverMetadata().end_session_endpoint) return undefined;
    return openid.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: client.postLogoutRedirectUri,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  }

  private provider(returnTo?: string): { client: OidcClientSettings; configuration: openid.Configuration } {
    const { client } = this.oidc;
    const configuration = this.discovery.configuration;
    if (client && configuration) return { client, configuration };
    if (returnTo !== undefined) {
      throw new OidcRefused('oidc_unavailable', 'the provider has not been discovered', returnTo);
    }
    throw new ServiceUnavailableException(
      'Sign-in with the identity provider is not available yet; try again in a moment',
    );
  }

  private async redeem(
    configuration: openid.Configuration,
    client: OidcClientSettings,
    parameters: URLSearchParams,
    transaction: OidcTransaction,
  ): Promise<{ idToken: string; claims: openid.IDToken }> {
    // The URL the provider redirected to, as registered: behind a proxy the request's own differs.
    const callbackUrl = new URL(client.redirectUri);
    callbackUrl.search = parameters.toString();
    try {
      const tokens = await openid.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!tokens.id_token || !claims)
        throw new OidcRefused('oidc_token', 'no ID token', transaction.returnTo);
      return { idToken: tokens.id_token, claims };
    } catch (error) {
      throw refusalOf(error, transaction.returnTo);
    }
  }
}

function refusalOf(error: unknown, returnTo: string): OidcRefused {
  if (error instanceof OidcRefused) return error;
  const reason: OidcRefusal =
    error instanceof openid.ResponseBodyError || error instanceof openid.AuthorizationResponseError
      ? 'oidc_provider_error'
      : error instanceof TypeError || UNREACHABLE_CODES.has((error as openid.ClientError).code ?? '')
        ? 'oidc_unavailable'
        : 'oidc_token';
  return new OidcRefused(reason, describeError(error), returnTo);
}

function identityOf(
  client: OidcClientSettings,
  { idToken, claims }: { idToken: string; claims: openid.IDToken },
  returnTo: string,
): { username: string; idToken: string } {
  if (client.allowedGroups.length > 0) {
    const groups = claims['groups'];
    const held = (Array.isArray(groups) ? groups : [groups]).filter(
      (group): group is string => typeof group === 'string',
    );
    if (!held.some((group) => client.allowedGroups.includes(group))) {
      throw new OidcRefused(
        'oidc_groups',
        `${claims.sub} is in none of OIDC_ALLOWED_GROUPS (groups claim: ${held.length} groups)`,
        returnTo,
      );
    }
  }
  const username = client.usernameClaims
    .map((claim) => claims[claim])
    .find((value): value is string => typeof value === 'string' && value.length > 0 && value.length <= 128);
  if (!username) {
    throw new OidcRefused('oidc_username', `no ${client.usernameClaims.join(', ')} claim`, returnTo);
  }
  return { username, idToken };
}

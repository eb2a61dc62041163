import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import * as openid from 'openid-client';
import { OidcConfig, type OidcClientSettings } from '../../config/app-config';

const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 60_000;

/**
 * The provider's metadata, read from the issuer's discovery document once the server has started, and
 * read again with backoff (1 s, 2 s, 4 s … 60 s) for as long as the issuer cannot be reached: a provider
 * that is down never keeps the server from starting, and readiness says `oidc` is down meanwhile.
 */
@Injectable()
export class OidcDiscovery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OidcDiscovery.name);
  private discovered?: openid.Configuration;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly oidc: OidcConfig) {}

  /** The provider as discovered; undefined until discovery has succeeded (or when OIDC is off). */
  get configuration(): openid.Configuration | undefined {
    return this.discovered;
  }

  /** Whether OpenID Connect sign-in is configured at all. */
  get configured(): boolean {
    return this.oidc.client !== undefined;
  }

  onApplicationBootstrap(): void {
    if (this.oidc.client) void this.discover(this.oidc.client, FIRST_RETRY_MS);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  private async discover(client: OidcClientSettings, nextDelayMs: number): Promise<void> {
    try {
      const issuer = new URL(client.issuerUrl);
      const configuration = await openid.discovery(
        issuer,
        client.clientId,
        undefined,
        openid.ClientSecretBasic(client.clientSecret),
        // An `http:` issuer passed validation only on loopback (a provider on this machine).
        { execute: issuer.protocol === 'http:' ? [openid.allowInsecureRequests] : [] },
      );
      if (this.stopped) return;
      this.discovered = configuration;
      this.logger.log(`Discovered the OpenID Provider ${client.issuerUrl}`);
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn(
        `Discovery at ${client.issuerUrl} failed (${describeError(error)}); trying again in ${nextDelayMs} ms`,
      );
      this.retry = setTimeout(
        () => void this.discover(client, Math.min(nextDelayMs * 2, LONGEST_RETRY_MS)),
        nextDelayMs,
      );
    }
  }
}

/** The error's message and its cause's, which say what was wrong (`fetch failed` alone does not). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

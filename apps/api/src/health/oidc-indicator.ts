import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { OidcDiscovery } from '../auth/oidc/oidc-discovery';
import type { ReadinessIndicator } from './readiness-indicator';

/** `oidc`: the OpenID Provider has been discovered; until then nobody can sign in with it. */
@Injectable()
export class OidcIndicator implements ReadinessIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly discovery: OidcDiscovery,
  ) {}

  check() {
    const indicator = this.indicators.check('oidc');
    return this.discovery.configuration
      ? indicator.up()
      : indicator.down({ message: 'The OpenID Provider has not been discovered yet' });
  }
}

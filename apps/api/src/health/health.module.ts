import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule } from '../auth/auth.module';
import { OidcDiscovery } from '../auth/oidc/oidc-discovery';
import { HealthController } from './health.controller';
import { OidcIndicator } from './oidc-indicator';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness-indicator';
import { ShutdownIndicator } from './shutdown-indicator';
import { StoreIndicator } from './store-indicator';

@Module({
  // Terminus logs a failed check as an error; a 503 during shutdown is expected, the answer says why.
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), AuthModule],
  controllers: [HealthController],
  providers: [
    ShutdownIndicator,
    StoreIndicator,
    OidcIndicator,
    {
      provide: READINESS_INDICATORS,
      // `oidc` only where OpenID Connect is configured.
      useFactory: (discovery: OidcDiscovery, oidc: OidcIndicator, ...indicators: ReadinessIndicator[]) =>
        discovery.configured ? [...indicators, oidc] : indicators,
      inject: [OidcDiscovery, OidcIndicator, ShutdownIndicator, StoreIndicator],
    },
  ],
})
export class HealthModule {}

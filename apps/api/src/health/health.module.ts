import { Module } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { AuthModule } from '../auth/auth.module';
import { OidcDiscovery } from '../auth/oidc/oidc-discovery';
import { HealthController } from './health.controller';
import { RedisConnections } from '../redis/redis-connections';
import { OidcIndicator } from './oidc-indicator';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness-indicator';
import { RedisIndicator } from './redis-indicator';
import { ShutdownIndicator } from './shutdown-indicator';
import { StoreIndicator } from './store-indicator';

@Module({
  // Terminus logs a failed check as an error; a 503 during shutdown is expected, the answer says why.
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), AuthModule],
  controllers: [HealthController],
  providers: [
    ShutdownIndicator,
    StoreIndicator,
    {
      provide: READINESS_INDICATORS,
      // `redis` only in the shared mode, `oidc` only where OpenID Connect is configured.
      useFactory: (
        indicators: HealthIndicatorService,
        discovery: OidcDiscovery,
        redis: RedisConnections | undefined,
        ...always: ReadinessIndicator[]
      ): ReadinessIndicator[] => [
        ...always,
        ...(redis ? [new RedisIndicator(indicators, redis)] : []),
        ...(discovery.configured ? [new OidcIndicator(indicators, discovery)] : []),
      ],
      inject: [
        HealthIndicatorService,
        OidcDiscovery,
        { token: RedisConnections, optional: true },
        ShutdownIndicator,
        StoreIndicator,
      ],
    },
  ],
})
export class HealthModule {}

import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness-indicator';
import { ShutdownIndicator } from './shutdown-indicator';
import { StoreIndicator } from './store-indicator';

@Module({
  // Terminus logs a failed check as an error; a 503 during shutdown is expected, the answer says why.
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false })],
  controllers: [HealthController],
  providers: [
    ShutdownIndicator,
    StoreIndicator,
    {
      provide: READINESS_INDICATORS,
      useFactory: (...indicators: ReadinessIndicator[]) => indicators,
      inject: [ShutdownIndicator, StoreIndicator],
    },
  ],
})
export class HealthModule {}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuthModule } from '../auth/auth.module';
import { CsrfGuard } from '../auth/csrf.guard';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { ThrottlingModule } from '../throttling/throttling.module';
import { UserThrottlerGuard } from '../throttling/user-throttler.guard';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { EventStreamModule } from '../event-stream/event-stream.module';
import { HealthModule } from '../health/health.module';
import { MemoryReleaseModule } from '../memory-release/memory-release.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RedisModule } from '../redis/redis.module';
import { WorkerRoutesGuard } from '../roles/worker-routes.guard';
import { StoreModule } from '../store/store.module';
import { WebAppModule } from '../web-app/web-app.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ProblemDetailsFilter } from './problem-details/problem-details.filter';
import { loggerOptions } from './logger-options';

@Module({})
export class AppModule {
  /** `logDestination`: where log lines go instead of stdout (tests read them). */
  static forRoot(
    config: AppConfig,
    { logDestination }: { logDestination?: DestinationStream } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.log, logDestination)),
        // Every open stream listens on its run's channel: no listener cap.
        EventEmitterModule.forRoot({ maxListeners: 0 }),
        StoreModule,
        RedisModule.forRoot(config.deployment),
        AuthModule,
        ThrottlingModule,
        HealthModule,
        MetricsModule,
        MemoryReleaseModule,
        WorkflowsModule.forRoot(config.deployment),
        EventStreamModule,
        // A worker serves no web app: only its health and metrics routes.
        ...(config.deployment.role === 'worker' ? [] : [WebAppModule.forRoot(config.http)]),
      ],
      // In this order: whether this process serves the route, who is calling, whether the request
      // really comes from the app, then their limits.
      providers: [
        { provide: APP_GUARD, useClass: WorkerRoutesGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: CsrfGuard },
        { provide: APP_GUARD, useClass: UserThrottlerGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { HealthModule } from '../health/health.module';
import { WebAppModule } from '../web-app/web-app.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { loggerOptions } from './logger-options';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        // Every open stream listens on its run's channel: no listener cap.
        EventEmitterModule.forRoot({ maxListeners: 0 }),
        HealthModule,
        WorkflowsModule,
        WebAppModule.forRoot(config),
      ],
    };
  }
}

import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { GitHubRequestMetrics } from './github-request-metrics';
import { MetricsController } from './metrics.controller';
import { metricsRegistryProvider } from './metrics-registry';
import { RunMetrics } from './run-metrics';
import { StreamMetricsMiddleware } from './stream-metrics.middleware';

/** `/api/metrics`: the app's series, each observed from outside the feature it counts. */
@Module({
  // The access guard checks sessions as the global guard does.
  imports: [AuthModule],
  controllers: [MetricsController],
  providers: [metricsRegistryProvider, RunMetrics, GitHubRequestMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(StreamMetricsMiddleware)
      .forRoutes({ path: 'workflows/:workflowId/events', method: RequestMethod.GET });
  }
}

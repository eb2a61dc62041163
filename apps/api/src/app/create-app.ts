import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

/** Creates the configured app, not yet listening; its logs go to stdout unless `logDestination` is given. */
export async function createApp(
  config: AppConfig,
  options: { logDestination?: DestinationStream } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bufferLogs: true,
    abortOnError: false,
    // configureApp installs the only body parser (JSON); Nest's default would also parse forms.
    bodyParser: false,
    // Streams end before the server closes; a socket left open then must not hold the exit.
    forceCloseConnections: true,
  });
  return configureApp(app);
}

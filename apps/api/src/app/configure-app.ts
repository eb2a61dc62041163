import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { DeploymentConfig, HttpConfig } from '../config/app-config';
import { Logger } from 'nestjs-pino';
import { acceptJsonObjectBodiesOnly } from './json-bodies';
import { invalidRequestOf } from './problem-details/invalid-request';
import { assignRequestId } from './request-id';
import { setUpSwagger } from './swagger';

/** What every instance of the app needs, in production and in tests alike. */
export function configureApp<App extends NestExpressApplication>(app: App): App {
  const http = app.get(HttpConfig);
  app.useLogger(app.get(Logger));
  if (http.trustProxy !== undefined) app.set('trust proxy', http.trustProxy);
  app.use(assignRequestId);
  app.use(helmet());
  app.use(cookieParser());
  acceptJsonObjectBodiesOnly(app);
  // Closed unless origins are configured: the web app is served from the API's own origin.
  if (http.corsOrigins.length > 0) app.enableCors({ origin: [...http.corsOrigins], credentials: true });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: invalidRequestOf,
    }),
  );
  // A worker serves only its health and metrics routes: no documentation of the others.
  if (app.get(DeploymentConfig).role !== 'worker') setUpSwagger(app);
  return app;
}

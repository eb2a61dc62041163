import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { setUpSwagger } from './swagger';

/** What every instance of the app needs, in production and in tests alike. */
export function configureApp<App extends INestApplication>(app: App): App {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  setUpSwagger(app);
  return app;
}

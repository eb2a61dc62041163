import { createApp } from './app/create-app';
import { loadConfig } from './config/load-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env, { persistGeneratedSecret: true });
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

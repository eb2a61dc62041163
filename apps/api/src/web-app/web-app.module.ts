import { type DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpConfig } from '../config/app-config';

/**
 * Serves the built web app at `/` (any path outside `/api` falls back to its `index.html`, for
 * client-side routes). Without a build in `WEB_ROOT` the server is an API only.
 */
@Module({})
export class WebAppModule {
  static forRoot({ webRoot }: HttpConfig): DynamicModule {
    if (!existsSync(join(webRoot, 'index.html'))) return { module: WebAppModule };
    return {
      module: WebAppModule,
      imports: [ServeStaticModule.forRoot({ rootPath: webRoot, exclude: ['/api/{*path}'] })],
    };
  }
}

import type { ServerSettings } from './target.ts';

/** What a case's server is started with: the case's settings and where the run puts it. */
export interface LaunchSettings extends ServerSettings {
  modelUrl: string;
  cpuList: string | undefined;
  profileDir: string | undefined;
}

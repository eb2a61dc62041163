import type { ServerSettings } from './target.ts';

/** What a case's server is started with: the case's settings and where the run puts it. */
export interface LaunchSettings extends ServerSettings {
  modelUrl: string;
  cpuList: string | undefined;
  profileDir: string | undefined;
  /** Variables that replace the API's defaults above (the drafter case drafts offline). */
  env?: Record<string, string>;
}

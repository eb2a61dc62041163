import { listeningPort, spawnProcess } from '../processes/bench-process.ts';
import type { LaunchSettings } from './launch-settings.ts';
import { nodeFlags, sharedEnv, Target } from './target.ts';

const RAW_SERVER = new URL('../servers/raw-sse-server.ts', import.meta.url).pathname;

/** The raw node:http baseline (servers/raw-sse-server.ts) on a port of its own choosing, fed by the same fake model. */
export async function startRaw(settings: LaunchSettings): Promise<Target> {
  const { modelUrl, profileDir, exposeGc, cpuList } = settings;
  const env = { ...sharedEnv(settings), PORT: '0', MODEL_URL: modelUrl };
  const child = await spawnProcess(process.execPath, [...nodeFlags({ profileDir, exposeGc }), RAW_SERVER], {
    env,
    name: 'raw',
    cpuList,
  });
  return new Target('raw', child, `http://127.0.0.1:${listeningPort(child.firstMessage)}`, {
    start: '/runs',
    events: (id) => `/runs/${id}/events`,
    run: (id) => `/runs/${id}`,
  });
}

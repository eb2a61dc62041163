import { ConfigError, loadConfig } from '../src/config/load-config';

/** The error `loadConfig` throws for `env`, failing the test if it throws none. */
export function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw');
}

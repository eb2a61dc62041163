import type { Provider } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The app's own registry, with the default process and Node series. Never prom-client's global
 * one: the tests run several apps in one process, and each must count only what it did.
 */
export const metricsRegistryProvider: Provider<Registry> = {
  provide: Registry,
  useFactory: () => {
    const register = new Registry();
    collectDefaultMetrics({ register });
    return register;
  },
};

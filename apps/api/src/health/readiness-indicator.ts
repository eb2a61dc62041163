import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * One thing the server needs to take work, checked by `/api/health/ready`. Each dependency (the
 * durable store, Redis, …) joins `READINESS_INDICATORS` with an indicator of its own, so that a
 * 503 names the one that fails.
 */
export interface ReadinessIndicator {
  check(): HealthIndicatorResult | Promise<HealthIndicatorResult>;
}

/** The injection token of the list of readiness indicators. */
export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');

import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RunStore } from '../store/run-store';
import type { ReadinessIndicator } from './readiness-indicator';

/** Longer than a trivial query takes on a store that works; short enough for a probe's own timeout. */
const STORE_CHECK_TIMEOUT_MS = 2_000;

/** `store`: the durable store answers a trivial query; without it no run's events can be kept. */
@Injectable()
export class StoreIndicator implements ReadinessIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly store: RunStore,
  ) {}

  async check() {
    const indicator = this.indicators.check('store');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`No answer within ${STORE_CHECK_TIMEOUT_MS} ms`)),
        STORE_CHECK_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.store.ping(), timeout]);
      return indicator.up();
    } catch (error) {
      // node:sqlite's errors are not always `instanceof Error` of this realm (under Jest, say).
      const { message = String(error) } = error as { message?: string };
      return indicator.down({ message });
    } finally {
      clearTimeout(timer);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RunStore } from '../store/run-store';
import { answerWithin, messageOf } from './answer-within';
import type { ReadinessIndicator } from './readiness-indicator';

/** `store`: the durable store answers a trivial query; without it no run's events can be kept. */
@Injectable()
export class StoreIndicator implements ReadinessIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly store: RunStore,
  ) {}

  async check() {
    const indicator = this.indicators.check('store');
    try {
      await answerWithin(this.store.ping());
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: messageOf(error) });
    }
  }
}

import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HttpConfig } from '../config/app-config';
import type { ReadinessIndicator } from './readiness-indicator';

/**
 * `shutdown`: down from the moment the server begins to stop. Before it goes on stopping, it waits
 * up to `SHUTDOWN_DRAIN_MS` for a readiness probe to have been answered 503, so that a load
 * balancer stops sending requests before the port closes (runs still going end `interrupted` as ever).
 */
@Injectable()
export class ShutdownIndicator implements ReadinessIndicator, OnModuleDestroy {
  private shuttingDown = false;
  private announceDrained = (): void => undefined;
  private readonly drained = new Promise<void>((resolve) => (this.announceDrained = resolve));

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly http: HttpConfig,
  ) {}

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  check() {
    const indicator = this.indicators.check('shutdown');
    return this.shuttingDown ? indicator.down({ message: 'The server is shutting down' }) : indicator.up();
  }

  /** A probe was answered 503 during shutdown: whoever routes traffic has been told. */
  probeAnsweredDown(): void {
    this.announceDrained();
  }

  async onModuleDestroy(): Promise<void> {
    this.shuttingDown = true;
    if (this.http.shutdownDrainMs === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.http.shutdownDrainMs)));
    await Promise.race([this.drained, timeout]);
    clearTimeout(timer);
  }
}

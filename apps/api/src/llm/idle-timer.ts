/**
 * Calls `onIdle` once when it has been running for `idleMs` without a `stop()`. Restarted around each
 * wait for the model, so time the consumer spends on a delta never counts as the model being silent.
 */
export class IdleTimer {
  private timer: NodeJS.Timeout | undefined;
  private fired = false;

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {}

  /** Whether `onIdle` was called. */
  get expired(): boolean {
    return this.fired;
  }

  start(): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.fired = true;
      this.onIdle();
    }, this.idleMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

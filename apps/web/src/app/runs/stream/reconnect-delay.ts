const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const JITTER = 0.2;

/**
 * How long to wait before reconnection attempt number `attempt` (0 for the first): 1 s, 2 s, 4 s …
 * up to 30 s, each ±20 % so that many tabs cut off together do not come back together.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

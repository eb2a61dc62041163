import { reconnectDelay } from './reconnect-delay';

describe(reconnectDelay.name, () => {
  const middle = () => 0.5;

  it('doubles from one second with every attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => reconnectDelay(attempt, middle))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits more than thirty seconds', () => {
    expect(reconnectDelay(5, middle)).toBe(30_000);
    expect(reconnectDelay(60, middle)).toBe(30_000);
  });

  it('spreads each delay by twenty percent either way', () => {
    expect(reconnectDelay(1, () => 0)).toBe(1600);
    expect(reconnectDelay(1, () => 0.999_999)).toBe(2400);
  });
});

/** Milliseconds of process.hrtime (CLOCK_MONOTONIC, the same clock in every process of the machine). */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

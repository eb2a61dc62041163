/** Longer than a trivial query takes on a service that works; short enough for a probe's own timeout. */
const CHECK_TIMEOUT_MS = 2_000;

/** `answer`, unless it takes longer than `CHECK_TIMEOUT_MS`: then a failure saying so. */
export async function answerWithin<T>(answer: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The message of a failed check; node:sqlite's errors are not always `instanceof Error` of this realm (under Jest, say). */
export function messageOf(error: unknown): string {
  const { message = String(error) } = error as { message?: string };
  return message;
}

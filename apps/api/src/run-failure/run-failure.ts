import type { ErrorCode } from '@issuecast/workflow-events';

/**
 * A failure that ends a run with one `error` event. Its message is shown to the user as it is,
 * so it never carries a stack trace, a URL with credentials or a secret.
 */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

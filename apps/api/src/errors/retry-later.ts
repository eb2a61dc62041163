import { ServiceUnavailableException } from '@nestjs/common';

/** 503 with `Retry-After`: something the server depends on is out of reach for now. */
export class RetryLater extends ServiceUnavailableException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

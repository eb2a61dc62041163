/** Why a run's event stream stopped before its terminal event. */
export type RunStreamErrorKind = 'not_found' | 'signed_out' | 'invalid_event';

/** The error a {@link RunStream} observable fails with; `message` is fit for a user. */
export class RunStreamError extends Error {
  constructor(
    readonly kind: RunStreamErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RunStreamError';
  }
}

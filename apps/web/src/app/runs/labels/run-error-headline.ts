import type { ErrorCode } from '@issuecast/workflow-events';

/** What went wrong, by error code, in words a user understands; the event's own message follows it. */
export const RUN_ERROR_HEADLINES: Readonly<Record<ErrorCode, string>> = {
  cancelled: 'This run was cancelled.',
  llm_failed: 'The language model could not write the draft.',
  github_failed: 'GitHub could not be reached, or it refused the request.',
  timeout: 'The run took too long and was stopped.',
  interrupted: 'The server restarted while the run was going on.',
  worker_lost: 'The worker running it stopped answering.',
  store_failed: 'The server could not save the run, so it was stopped.',
  limit_exceeded: 'The run grew past its size limit and was stopped.',
  internal: 'Something went wrong on our side.',
};

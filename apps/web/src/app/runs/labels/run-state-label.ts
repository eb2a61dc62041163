import type { RunState } from '@issuecast/workflow-events';

/** A run's state as the page says it. */
export const RUN_STATE_LABELS: Readonly<Record<RunState, string>> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

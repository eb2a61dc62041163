import type { RunSnapshot } from '@issuecast/workflows-api';
import { workflowId } from './workflow-events';

/** Where the snapshot of {@link workflowId} is asked for; its routes (`/post`, `/cancel`) are below it. */
export const snapshotUrl = `/api/workflows/${workflowId}`;
export const eventsUrl = `${snapshotUrl}/events`;

/** The snapshot of {@link workflowId}, queued with nothing emitted yet, but for `overrides`. */
export function runSnapshot(overrides: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    workflowId,
    status: 'queued',
    issue: { title: 'Crash when saving' },
    text: '',
    lastEventId: 0,
    draftEdited: false,
    takes: [workflowId],
    createdAt: '2026-11-25T10:00:00.000Z',
    eventsUrl,
    ...overrides,
  };
}

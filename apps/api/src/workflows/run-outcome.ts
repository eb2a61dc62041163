import { initialRunView, reduceRunView, type RunView } from '@issuecast/workflow-events';
import type { WorkflowEventLog } from '../event-log/workflow-event-log';
import type { RunChanges } from '../store/run-record';

/** What the store keeps of a finished run: the end of its view; a completed run's text is its draft. */
export function outcomeOf(view: RunView): RunChanges {
  const { state, text, lastEventId, error, finishedAt, commentUrl, usage } = view;
  return {
    state,
    text,
    lastEventId,
    error,
    finishedAt,
    ...(state === 'completed' && { draft: text }),
    ...(commentUrl && { commentUrl }),
    ...(usage && { usage }),
  };
}

/** The view of a run as its stored events describe it, read a page at a time. */
export async function replayView(log: WorkflowEventLog, workflowId: string): Promise<RunView> {
  let view = initialRunView;
  for (let after = 0; ;) {
    const page = await log.readAfter(workflowId, after);
    if (page.length === 0) return view;
    for (const { event } of page) view = reduceRunView(view, event);
    after = page[page.length - 1].event.id;
  }
}

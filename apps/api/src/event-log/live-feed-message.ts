import type { WorkflowEvent } from '@issuecast/workflow-events';
import type { LoggedEvent } from './logged-event';

const FRAME_END = '\n\n';
const DATA_FIELD = '\ndata: ';

/**
 * The message that carries a batch of one run's stored events to other processes: their frames as
 * the log encoded them, one after the other. SSE frames end with a blank line, which the JSON on
 * their `data:` line never holds (it escapes every line break), so the message needs no framing of
 * its own and the receiver writes slices of it to its sockets as they are.
 */
export function encodeLiveMessage(entries: readonly LoggedEvent[]): Buffer {
  return entries.length === 1 ? entries[0].frame : Buffer.concat(entries.map(({ frame }) => frame));
}

/** The entries of a message of `encodeLiveMessage`, each frame a slice of it, not a copy. */
export function decodeLiveMessage(message: Buffer): LoggedEvent[] {
  const entries: LoggedEvent[] = [];
  for (let start = 0; start < message.length;) {
    const end = message.indexOf(FRAME_END, start);
    const data = message.indexOf(DATA_FIELD, start);
    if (end < 0 || data < 0 || data > end)
      throw new Error('Not a live feed message: a frame has no data line');
    const frame = message.subarray(start, end + FRAME_END.length);
    const json = message.toString('utf8', data + DATA_FIELD.length, end);
    entries.push({ event: JSON.parse(json) as WorkflowEvent, frame });
    start = end + FRAME_END.length;
  }
  return entries;
}

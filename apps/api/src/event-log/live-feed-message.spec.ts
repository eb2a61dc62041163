import { decodeLiveMessage, encodeLiveMessage } from './live-feed-message';
import { toLoggedEvent } from './logged-event';

const RUN = '8f0e4c52-5f2a-4b7e-9d1c-2a3b4c5d6e7f';

describe(decodeLiveMessage.name, () => {
  const entries = [
    toLoggedEvent({
      id: 1,
      workflowId: RUN,
      type: 'status',
      data: { content: 'Queued', step: 'queued' },
      timestamp: '2024-05-01T12:00:00.000Z',
    }),
    toLoggedEvent({
      id: 2,
      workflowId: RUN,
      type: 'llm_response',
      data: { content: 'two\n\nlines: data: ' },
      timestamp: '2024-05-01T12:00:01.000Z',
    }),
    toLoggedEvent({
      id: 3,
      workflowId: RUN,
      type: 'complete',
      data: { content: 'done ✓' },
      timestamp: '2024-05-01T12:00:02.000Z',
    }),
  ];

  it('gives back the entries of a batch, each frame the very bytes the log encoded', () => {
    expect(decodeLiveMessage(encodeLiveMessage(entries))).toEqual(entries);
  });

  it('sends a single event as its frame itself, not a copy', () => {
    expect(encodeLiveMessage([entries[0]])).toBe(entries[0].frame);
  });

  it('refuses a message that is not frames of events', () => {
    expect(() => decodeLiveMessage(Buffer.from('hello\n\n'))).toThrow('a frame has no data line');
  });
});

import { once } from 'node:events';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import { signInAlice, startServerProcess } from '../server-process';
import { openSse } from '../sse-client';
import { createTestStore, describeOnEachStore, type TestStore } from './test-store';

/** The server as `npm start` runs it, on `store`, its runs slow enough to cut off. */
const serverOn = (store: TestStore) => startServerProcess({ ...store.env, OFFLINE_LLM_DELAY_MS: '40' });

async function startRun(baseUrl: string, authorization: string, title: string): Promise<string> {
  const started = await fetch(`${baseUrl}/api/workflows/comment-on-issue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ issue: { title, body: 'It crashes when I save. Steps: open, save.' } }),
  });
  return ((await started.json()) as { workflowId: string }).workflowId;
}

/** The whole body of a finished run's stream, as bytes. */
async function streamBytes(baseUrl: string, authorization: string, workflowId: string, lastEventId = 0) {
  const response = await fetch(`${baseUrl}/api/workflows/${workflowId}/events`, {
    headers: { authorization, 'last-event-id': String(lastEventId) },
  });
  return Buffer.from(await response.arrayBuffer());
}

function eventsIn(body: Buffer): WorkflowEvent[] {
  return [...body.toString('utf8').matchAll(/^data: (.*)$/gm)].map(
    ([, json]) => JSON.parse(json) as WorkflowEvent,
  );
}

describeOnEachStore('a restart on the same store', (kind) => {
  let store: TestStore;
  beforeAll(async () => (store = await createTestStore(kind)));
  afterAll(() => store.remove());

  it('keeps finished runs byte for byte and ends the run a SIGKILL cut off as interrupted', async () => {
    const first = await serverOn(store);
    const authorization = await signInAlice(first.baseUrl);
    const finished = await startRun(first.baseUrl, authorization, 'Finished before the crash');
    const before = await streamBytes(first.baseUrl, authorization, finished);
    const cutOff = await startRun(first.baseUrl, authorization, 'Cut off by the crash');
    const watcher = await openSse(`${first.baseUrl}/api/workflows/${cutOff}/events`, { authorization });
    await watcher.waitFor((event) => event.type === 'llm_response' && event.id >= 5);
    // The watcher's stream breaks with the process: that is the point.
    const watcherCutOff = watcher.finished.catch((error: Error) => error.message);
    const killed = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await killed;
    expect(await watcherCutOff).toBe('terminated');
    const seenBeforeCrash = watcher.events;

    const second = await serverOn(store);
    try {
      expect(await streamBytes(second.baseUrl, authorization, finished)).toEqual(before);
      const finishedEvents = eventsIn(before);
      expect(finishedEvents.at(-1)?.type).toBe('complete');
      expect(eventsIn(await streamBytes(second.baseUrl, authorization, finished, 3))).toEqual(
        finishedEvents.slice(3),
      );

      const afterCrash = eventsIn(await streamBytes(second.baseUrl, authorization, cutOff));
      expect(afterCrash.map((event) => event.id)).toEqual(afterCrash.map((_, index) => index + 1));
      expect(afterCrash.slice(0, seenBeforeCrash.length)).toEqual(seenBeforeCrash);
      expect(afterCrash.at(-1)).toMatchObject({
        type: 'error',
        data: { code: 'interrupted', retryable: true },
      });
      expect(afterCrash.filter((event) => event.type === 'error' || event.type === 'complete')).toHaveLength(
        1,
      );

      const list = await fetch(`${second.baseUrl}/api/workflows`, { headers: { authorization } });
      const { items, total } = (await list.json()) as {
        items: { workflowId: string; status: string }[];
        total: number;
      };
      expect(total).toBe(2);
      expect(items.map(({ workflowId, status }) => [workflowId, status])).toEqual([
        [cutOff, 'failed'],
        [finished, 'completed'],
      ]);
    } finally {
      second.child.kill('SIGTERM');
      await once(second.child, 'exit');
    }

    // A third start finds nothing left to end or migrate: the cut-off run ended once.
    const third = await serverOn(store);
    try {
      const events = eventsIn(await streamBytes(third.baseUrl, authorization, cutOff));
      expect(events.filter((event) => event.type === 'error')).toHaveLength(1);
    } finally {
      third.child.kill('SIGTERM');
      await once(third.child, 'exit');
    }
  }, 60_000);
});

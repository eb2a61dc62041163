import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { WorkflowEvent } from '@issuecast/workflow-events';
import { expectOneTerminalEventLast, textOf } from '../run-events';
import { signInAlice, startServerProcess } from '../server-process';
import { openSse, readSse } from '../sse-client';
import { describeWithSharedMode } from '../store/test-redis';
import { createTestStore, type TestStore } from '../store/test-store';

interface Instance {
  child: ChildProcess;
  baseUrl: string;
  authorization: string;
}

describeWithSharedMode('an API instance killed mid-stream', () => {
  let store: TestStore;
  const instances: Instance[] = [];

  beforeAll(async () => (store = await createTestStore('shared')));
  afterAll(async () => {
    for (const { child } of instances) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await store.remove();
  });

  /** A server process as `npm start` runs it on the shared store, its runs slow enough to outlive a kill. */
  async function startInstance(role: 'all' | 'api'): Promise<Instance> {
    const { child, baseUrl } = await startServerProcess({ ...store.env, ROLE: role, OFFLINE_LLM_DELAY_MS: '40' });
    const instance = { child, baseUrl, authorization: await signInAlice(baseUrl) };
    instances.push(instance);
    return instance;
  }

  it('leaves its client to resume on the other instance with nothing lost or repeated', async () => {
    // Only the starter takes runs from the queue: the instance killed is one that only streams the run.
    const [starter, streamer] = await Promise.all([startInstance('all'), startInstance('api')]);
    const started = await fetch(`${starter.baseUrl}/api/workflows/comment-on-issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: starter.authorization },
      body: JSON.stringify({
        issue: { title: 'Killed mid-stream', body: 'It crashes when I save. Steps: open, save.' },
      }),
    });
    const { workflowId } = (await started.json()) as { workflowId: string };
    const eventsUrl = (instance: Instance) => `${instance.baseUrl}/api/workflows/${workflowId}/events`;

    const before = await openSse(eventsUrl(streamer), { authorization: streamer.authorization });
    await before.waitFor((event) => event.type === 'llm_response' && event.id >= 5);
    const cutOff = before.finished.catch((error: Error) => error.message);
    streamer.child.kill('SIGKILL');
    await once(streamer.child, 'exit');
    expect(await cutOff).toBe('terminated');
    const lastSeen = before.events.at(-1) as WorkflowEvent;
    expect(lastSeen.type).toBe('llm_response');

    const after = await readSse(eventsUrl(starter), {
      authorization: starter.authorization,
      'last-event-id': String(lastSeen.id),
    });

    const events = [...before.events, ...after.events];
    const snapshot = (await (
      await fetch(`${starter.baseUrl}/api/workflows/${workflowId}`, {
        headers: { authorization: starter.authorization },
      })
    ).json()) as { status: string; text: string; lastEventId: number };
    expect(snapshot.status).toBe('completed');
    expect(events.map((event) => event.id)).toEqual(
      Array.from({ length: snapshot.lastEventId }, (_, index) => index + 1),
    );
    expect(textOf(events)).toBe(snapshot.text);
    expectOneTerminalEventLast(events);
  }, 90_000);
});

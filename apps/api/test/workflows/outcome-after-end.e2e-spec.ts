import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../../src/store/run-record';
import { RunStore } from '../../src/store/run-store';
import { startTestApp, type TestApp } from '../test-app';

const DRAFT = 'Thanks for the report: a reproduction would help.';

/**
 * The terminal event of a run is stored before its outcome, by whichever process executes it. A
 * client that acts on the end it has just streamed must not be told that the run is still going.
 */
describe('acting on a run between its terminal event and its stored outcome', () => {
  let api: TestApp;
  let store: RunStore;
  beforeAll(async () => {
    api = await startTestApp();
    store = api.app.get(RunStore);
  });
  afterAll(() => api.close());

  /** A run of alice's whose events, `complete` last, are stored, and whose outcome is not yet. */
  async function endedRun(): Promise<string> {
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    await store.insertRun({
      id,
      owner: 'alice',
      source: { kind: 'pasted', issue: { title: 'Export drops a row', body: '' } },
      createdAt,
      state: 'running',
      text: '',
      lastEventId: 0,
    });
    const events = [
      { type: 'status', data: { content: 'Queued', step: 'queued' } },
      { type: 'llm_response', data: { content: DRAFT } },
      { type: 'complete', data: { content: DRAFT } },
    ].map(({ type, data }, index): StoredEvent => {
      const event = { id: index + 1, workflowId: id, type, data, timestamp: createdAt };
      return {
        workflowId: id,
        id: event.id,
        type: event.type as StoredEvent['type'],
        json: JSON.stringify(event),
        timestamp: createdAt,
      };
    });
    await store.appendEvents(events);
    return id;
  }

  it('waits for the outcome of a run whose terminal event is stored, then answers as for a finished run', async () => {
    const workflowId = await endedRun();

    const edit = api.request(`/api/workflows/${workflowId}/draft`, {
      method: 'PUT',
      body: { draft: 'Edited.' },
    });
    // The executing process stores the outcome a moment after the terminal event.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await store.updateRun(workflowId, {
      state: 'completed',
      text: DRAFT,
      draft: DRAFT,
      lastEventId: 3,
      finishedAt: new Date().toISOString(),
    });
    const response = await edit;

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'completed', draft: 'Edited.', draftEdited: true });
  });

  it('still refuses a run whose last event is not terminal: it is going', async () => {
    const workflowId = randomUUID();
    await store.insertRun({
      id: workflowId,
      owner: 'alice',
      source: { kind: 'pasted', issue: { title: 'Still drafting', body: '' } },
      createdAt: new Date().toISOString(),
      state: 'running',
      text: '',
      lastEventId: 0,
    });

    const response = await api.request(`/api/workflows/${workflowId}/draft`, {
      method: 'PUT',
      body: { draft: 'Edited.' },
    });

    expect(response.status).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toBe(
      `Workflow ${workflowId} is still running`,
    );
  });
});

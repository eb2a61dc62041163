import { LeaseLost } from '../../src/store/run-lease';
import type { RunRecord, StoredEvent } from '../../src/store/run-record';
import type { RunStore } from '../../src/store/run-store';

/** A database for one suite: `open` gives a new store (a new connection) on it each time it is called. */
export interface StoreUnderTest {
  open(): Promise<RunStore>;
  /** Removes the database once the suite is done. */
  destroy(): Promise<void>;
}

let counter = 0;

function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    owner: 'alice',
    source: { kind: 'github', repository: 'octo/app', issueNumber: counter, postToGitHub: false },
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString(),
    state: 'queued',
    text: '',
    lastEventId: 0,
    ...overrides,
  };
}

function storedEvent(
  workflowId: string,
  id: number,
  data: unknown = { content: `event ${id}` },
): StoredEvent {
  const timestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString();
  // Keys out of alphabetical order, as the emitter writes them: the store must keep the text as it is.
  const json = JSON.stringify({ workflowId, type: 'llm_response', id, timestamp, data });
  return { workflowId, id, type: 'llm_response', json, timestamp };
}

/** The behaviour every `RunStore` shares; each store's spec runs it on its own database. */
export function describeRunStoreContract(name: string, database: () => Promise<StoreUnderTest>): void {
  describe(`${name}: the RunStore contract`, () => {
    let underTest: StoreUnderTest;
    let store: RunStore;

    beforeAll(async () => {
      underTest = await database();
      store = await underTest.open();
      await store.migrate();
    });

    afterAll(async () => {
      await store?.close();
      await underTest?.destroy();
    });

    it('migrates again, and from two connections at once, without harm', async () => {
      const [first, second] = await Promise.all([underTest.open(), underTest.open()]);
      await Promise.all([first.migrate(), second.migrate(), store.migrate()]);
      await Promise.all([first.close(), second.close()]);
      expect(await store.findRun('00000000-0000-4000-8000-ffffffffffff')).toBeUndefined();
    });

    it('keeps a run with everything it holds, from either source', async () => {
      const github = runRecord({
        title: 'Crash on start',
        state: 'failed',
        text: 'A draft',
        draft: 'A draft',
        lastEventId: 9,
        error: { code: 'github_failed', message: 'GitHub said no', retryable: true },
        finishedAt: '2026-01-02T00:00:00.000Z',
        commentUrl: 'https://github.com/octo/app/issues/1#issuecomment-1',
        postingAttemptedAt: '2026-01-02T00:00:01.000Z',
        editedDraft: 'An edited draft',
        postedText: 'An edited draft',
        parentId: '00000000-0000-4000-8000-aaaaaaaaaaaa',
        instructions: 'Shorter, please',
        usage: {
          model: 'gpt-x',
          promptTokens: 1200,
          completionTokens: 80,
          timeToFirstTokenMs: 950,
          durationMs: 4100,
        },
      });
      const pasted = runRecord({
        source: { kind: 'pasted', issue: { title: 'Pasted ✓', body: 'line\nline', repository: 'octo/app' } },
      });
      await store.insertRun(github);
      await store.insertRun(pasted);
      expect(await store.findRun(github.id)).toEqual(github);
      expect(await store.findRun(pasted.id)).toEqual(pasted);
    });

    it('refuses a second run with the same id', async () => {
      const run = runRecord();
      await store.insertRun(run);
      await expect(store.insertRun(run)).rejects.toThrow();
    });

    it('changes only the fields it is given, and leaves unknown runs alone', async () => {
      const run = runRecord({ title: 'Before' });
      await store.insertRun(run);
      await store.updateRun(run.id, { state: 'running' });
      await store.updateRun(run.id, {
        state: 'completed',
        text: 'Done',
        draft: 'Done',
        lastEventId: 3,
        finishedAt: run.createdAt,
      });
      await store.updateRun('00000000-0000-4000-8000-eeeeeeeeeeee', { state: 'failed' });
      expect(await store.findRun(run.id)).toEqual({
        ...run,
        state: 'completed',
        text: 'Done',
        draft: 'Done',
        lastEventId: 3,
        finishedAt: run.createdAt,
      });
      expect(await store.findRun('00000000-0000-4000-8000-eeeeeeeeeeee')).toBeUndefined();
    });

    it("lists an owner's runs newest first, a page at a time, filtered, with the total", async () => {
      const owner = `lister-${counter}`;
      const runs = [
        runRecord({ owner, state: 'completed' }),
        runRecord({
          owner,
          state: 'failed',
          source: { kind: 'github', repository: 'octo/other', issueNumber: 1 },
        }),
        runRecord({
          owner,
          state: 'completed',
          source: { kind: 'pasted', issue: { title: 't', body: '', repository: 'octo/other' } },
        }),
        runRecord({ owner, state: 'running', source: { kind: 'pasted', issue: { title: 't', body: '' } } }),
      ];
      for (const run of runs) await store.insertRun(run);
      await store.insertRun(runRecord({ owner: `someone-else-${counter}` }));
      const ids = (list: { runs: RunRecord[] }) => list.runs.map((run) => run.id);
      const [first, second, third, fourth] = runs.map((run) => run.id);

      expect(await store.listRuns({ owner, offset: 0, limit: 10 })).toEqual({
        runs: [...runs].reverse(),
        total: 4,
        promptTokens: 0,
        completionTokens: 0,
      });
      const page2 = await store.listRuns({ owner, offset: 2, limit: 2 });
      expect({ ids: ids(page2), total: page2.total }).toEqual({ ids: [second, first], total: 4 });
      const completed = await store.listRuns({ owner, state: 'completed', offset: 0, limit: 10 });
      expect({ ids: ids(completed), total: completed.total }).toEqual({ ids: [third, first], total: 2 });
      const other = await store.listRuns({ owner, repository: 'octo/other', offset: 0, limit: 1 });
      expect({ ids: ids(other), total: other.total }).toEqual({ ids: [third], total: 2 });
      const both = await store.listRuns({
        owner,
        repository: 'octo/other',
        state: 'failed',
        offset: 0,
        limit: 10,
      });
      expect(ids(both)).toEqual([second]);
      expect(await store.listRuns({ owner, offset: 10, limit: 10 })).toMatchObject({ runs: [], total: 4 });
      expect(fourth).toBeDefined();
    });

    it('finds runs by words of their title, ignoring case, with % and _ taken as they are', async () => {
      const owner = `searcher-${counter}`;
      const titled = (title: string) => runRecord({ owner, title });
      const runs = [
        titled('Export drops the LAST row'),
        titled('100% CPU on start'),
        titled('snake_case keys'),
        titled('Crash'),
      ];
      for (const run of runs) await store.insertRun(run);
      await store.insertRun(runRecord({ owner }));
      const titles = async (titleContains: string) =>
        (await store.listRuns({ owner, titleContains, offset: 0, limit: 10 })).runs.map((run) => run.title);

      expect(await titles('last ROW')).toEqual(['Export drops the LAST row']);
      expect(await titles('%')).toEqual(['100% CPU on start']);
      expect(await titles('e_c')).toEqual(['snake_case keys']);
      expect(await titles('ro')).toEqual(['Export drops the LAST row']);
      expect(await titles('s')).toHaveLength(4);
    });

    it('sums the tokens of every run that matches, over all pages', async () => {
      const owner = `spender-${counter}`;
      const usage = (promptTokens: number, completionTokens: number) => ({
        model: 'gpt-x',
        promptTokens,
        completionTokens,
        durationMs: 10,
      });
      await store.insertRun(runRecord({ owner, state: 'completed', usage: usage(100, 10) }));
      await store.insertRun(runRecord({ owner, state: 'completed', usage: usage(200, 20) }));
      await store.insertRun(runRecord({ owner, state: 'failed' }));
      await store.insertRun(runRecord({ owner: `${owner}-other`, usage: usage(1000, 1000) }));

      expect(await store.listRuns({ owner, offset: 0, limit: 1 })).toMatchObject({
        total: 3,
        promptTokens: 300,
        completionTokens: 30,
      });
      expect(await store.listRuns({ owner, state: 'failed', offset: 0, limit: 1 })).toMatchObject({
        total: 1,
        promptTokens: 0,
        completionTokens: 0,
      });
    });

    it('lists the takes of issues: each first run and its retries, oldest first, in one call', async () => {
      const first = runRecord();
      const retries = [runRecord({ parentId: first.id }), runRecord({ parentId: first.id })];
      const other = runRecord();
      const otherRetry = runRecord({ parentId: other.id });
      for (const run of [first, retries[0], other, retries[1], otherRetry, runRecord()]) {
        await store.insertRun(run);
      }
      const gone = '00000000-0000-4000-8000-dddddddddddd';

      const takes = await store.takesOf([first.id, other.id, gone]);

      expect(takes).toEqual(
        new Map([
          [first.id, [first.id, ...retries.map((run) => run.id)]],
          [other.id, [other.id, otherRetry.id]],
          [gone, []],
        ]),
      );
      expect(await store.takesOf([])).toEqual(new Map());
    });

    it('keeps an edit of a finished draft, until a post of it is attempted', async () => {
      const finished = {
        state: 'completed' as const,
        draft: 'The model',
        finishedAt: '2026-01-02T00:00:00.000Z',
      };
      const editable = runRecord(finished);
      const running = runRecord({ state: 'running' });
      const undrafted = runRecord({ state: 'failed', finishedAt: finished.finishedAt });
      for (const run of [editable, running, undrafted]) await store.insertRun(run);

      expect(await store.saveEditedDraft(editable.id, 'Mine')).toBe(true);
      expect(await store.saveEditedDraft(running.id, 'Mine')).toBe(false);
      expect(await store.saveEditedDraft(undrafted.id, 'Mine')).toBe(false);
      await store.claimPosting(editable.id, '2026-01-03T00:00:00.000Z', '2026-01-03T00:02:00.000Z');
      expect(await store.saveEditedDraft(editable.id, 'Too late')).toBe(false);
      expect(await store.findRun(editable.id)).toMatchObject({ draft: 'The model', editedDraft: 'Mine' });
    });

    it('keeps each event byte for byte and reads them back in order, a page at a time', async () => {
      const run = runRecord();
      await store.insertRun(run);
      const odd = {
        content: 'ünïcödé 🚀 "quotes" \\ \u2028 line\nbreak',
        zeta: 1,
        alpha: [2, { b: 1, a: 0 }],
      };
      const events = [1, 2, 3, 4, 5].map((id) => storedEvent(run.id, id, id === 2 ? odd : undefined));
      await store.appendEvents(events.slice(0, 2));
      await store.appendEvents(events.slice(2));

      expect(await store.readEvents(run.id, 0, 100)).toEqual(events);
      expect(await store.readEvents(run.id, 1, 2)).toEqual(events.slice(1, 3));
      expect(await store.readEvents(run.id, 5, 100)).toEqual([]);
      expect(await store.lastEvent(run.id)).toEqual(events[4]);
      expect((await store.readEvents(run.id, 1, 1))[0].json).toBe(events[1].json);
    });

    it('stores a batch of events all or none: an id the run already has refuses the batch', async () => {
      const run = runRecord();
      await store.insertRun(run);
      await store.appendEvents([storedEvent(run.id, 1), storedEvent(run.id, 2)]);
      await expect(store.appendEvents([storedEvent(run.id, 3), storedEvent(run.id, 2)])).rejects.toThrow();
      expect((await store.readEvents(run.id, 0, 100)).map((event) => event.id)).toEqual([1, 2]);
      expect(await store.lastEvent(runRecord().id)).toBeUndefined();
    });

    it('lists the runs that never finished, oldest first', async () => {
      const queued = runRecord({ owner: 'cut-off', state: 'queued' });
      const running = runRecord({ owner: 'cut-off', state: 'running' });
      await store.insertRun(queued);
      await store.insertRun(running);
      await store.insertRun(
        runRecord({ owner: 'cut-off', state: 'cancelled', finishedAt: queued.createdAt }),
      );
      const unfinished = (await store.unfinishedRuns()).filter((run) => run.owner === 'cut-off');
      expect(unfinished).toEqual([queued, running]);
    });

    it('keeps a revoked session until it would have expired, then forgets it', async () => {
      const future = new Date(Date.now() + 60_000).toISOString();
      const past = new Date(Date.now() - 1_000).toISOString();

      await store.revokeSession('session-expired', past);
      expect(await store.isSessionRevoked('session-expired')).toBe(true);
      await store.revokeSession('session-live', future);
      await store.revokeSession('session-live', future);

      expect(await store.isSessionRevoked('session-live')).toBe(true);
      expect(await store.isSessionRevoked('session-never-revoked')).toBe(false);
      expect(await store.isSessionRevoked('session-expired')).toBe(false);
    });

    it('gives the claim to post to one of two at once, and to nobody else while it holds', async () => {
      const run = runRecord();
      await store.insertRun(run);
      const at = '2026-01-03T00:00:00.000Z';
      const until = '2026-01-03T00:02:00.000Z';

      const claims = await Promise.all([
        store.claimPosting(run.id, at, until),
        store.claimPosting(run.id, at, until),
      ]);

      expect(claims.sort()).toEqual([false, true]);
      expect(await store.claimPosting(run.id, '2026-01-03T00:01:59.999Z', '2026-01-03T00:04:00.000Z')).toBe(
        false,
      );
      expect(await store.findRun(run.id)).toMatchObject({
        postingAttemptedAt: at,
        postingClaimedUntil: until,
      });
    });

    it('lets a claim to post be taken again once it ran out or was freed, keeping the first attempt’s time, and never once posted', async () => {
      const run = runRecord();
      await store.insertRun(run);
      const first = '2026-01-03T00:00:00.000Z';
      await store.claimPosting(run.id, first, '2026-01-03T00:02:00.000Z');

      // Its holder died: the claim runs out.
      expect(await store.claimPosting(run.id, '2026-01-03T00:02:00.000Z', '2026-01-03T00:04:00.000Z')).toBe(
        true,
      );
      // Its holder failed and freed it.
      await store.updateRun(run.id, { postingClaimedUntil: undefined });
      expect(await store.claimPosting(run.id, '2026-01-03T00:03:00.000Z', '2026-01-03T00:05:00.000Z')).toBe(
        true,
      );
      expect((await store.findRun(run.id))?.postingAttemptedAt).toBe(first);

      await store.updateRun(run.id, {
        commentUrl: 'https://github.com/o/r/issues/1#issuecomment-1',
        postingClaimedUntil: undefined,
      });
      expect(await store.claimPosting(run.id, '2026-01-04T00:00:00.000Z', '2026-01-04T00:02:00.000Z')).toBe(
        false,
      );
      expect(await store.findRun(run.id)).toMatchObject({ postingAttemptedAt: first });
      expect((await store.findRun(run.id))?.postingClaimedUntil).toBeUndefined();
    });

    it('deletes the events of runs finished before the cutoff a batch at a time, leaving the runs', async () => {
      const expired = runRecord({
        owner: 'retention',
        state: 'completed',
        finishedAt: '2020-01-01T00:00:00.000Z',
      });
      const recent = runRecord({
        owner: 'retention',
        state: 'completed',
        finishedAt: '2030-01-01T00:00:00.000Z',
      });
      const going = runRecord({ owner: 'retention', state: 'running' });
      for (const run of [expired, recent, going]) {
        await store.insertRun(run);
        await store.appendEvents([1, 2, 3].map((id) => storedEvent(run.id, id)));
      }
      const cutoff = '2025-01-01T00:00:00.000Z';
      expect(await store.deleteEventsOfRunsFinishedBefore(cutoff, 2)).toBe(2);
      expect(await store.readEvents(expired.id, 0, 10)).toHaveLength(1);
      expect(await store.deleteEventsOfRunsFinishedBefore(cutoff, 2)).toBe(1);
      expect(await store.deleteEventsOfRunsFinishedBefore(cutoff, 2)).toBe(0);
      expect(await store.readEvents(expired.id, 0, 10)).toEqual([]);
      expect(await store.findRun(expired.id)).toEqual(expired);
      for (const run of [recent, going]) expect(await store.readEvents(run.id, 0, 10)).toHaveLength(3);
      expect(await store.deleteRunsFinishedBefore(cutoff, 10)).toBe(1);
    });

    it('deletes runs finished before the cutoff with their events, a batch at a time', async () => {
      const old = (finishedAt: string) => runRecord({ owner: 'retention', state: 'completed', finishedAt });
      const expired = [
        old('2020-01-01T00:00:00.000Z'),
        old('2020-01-02T00:00:00.000Z'),
        old('2020-01-03T00:00:00.000Z'),
      ];
      const recent = old('2030-01-01T00:00:00.000Z');
      const going = runRecord({ owner: 'retention', state: 'running' });
      for (const run of [...expired, recent, going]) {
        await store.insertRun(run);
        await store.appendEvents([storedEvent(run.id, 1)]);
      }
      const cutoff = '2025-01-01T00:00:00.000Z';
      expect(await store.deleteRunsFinishedBefore(cutoff, 2)).toBe(2);
      expect(await store.deleteRunsFinishedBefore(cutoff, 2)).toBe(1);
      expect(await store.deleteRunsFinishedBefore(cutoff, 2)).toBe(0);
      for (const run of expired) {
        expect(await store.findRun(run.id)).toBeUndefined();
        expect(await store.readEvents(run.id, 0, 10)).toEqual([]);
      }
      for (const run of [recent, going]) expect(await store.readEvents(run.id, 0, 10)).toHaveLength(1);
    });

    it('inserts a run only while its owner has fewer unfinished runs than the cap, counted atomically with the insert', async () => {
      const second = await underTest.open();
      try {
        await store.insertRun(
          runRecord({ owner: 'capped', state: 'completed', finishedAt: '2026-01-01T00:00:00.000Z' }),
        );
        const starts = Array.from({ length: 6 }, (_, index) =>
          (index % 2 === 0 ? store : second).insertRun(runRecord({ owner: 'capped' }), {
            maxUnfinishedOfOwner: 3,
          }),
        );
        expect((await Promise.all(starts)).filter(Boolean)).toHaveLength(3);
        expect(await store.insertRun(runRecord({ owner: 'another' }), { maxUnfinishedOfOwner: 3 })).toBe(
          true,
        );
        const [going] = (await store.unfinishedRuns()).filter((run) => run.owner === 'capped');
        await store.updateRun(going.id, { state: 'cancelled', finishedAt: '2026-01-02T00:00:00.000Z' });
        expect(await second.insertRun(runRecord({ owner: 'capped' }), { maxUnfinishedOfOwner: 3 })).toBe(
          true,
        );
        expect(await second.insertRun(runRecord({ owner: 'capped' }), { maxUnfinishedOfOwner: 3 })).toBe(
          false,
        );
      } finally {
        await second.close();
      }
    });

    it('deletes a run with its events', async () => {
      const run = runRecord();
      await store.insertRun(run);
      await store.appendEvents([storedEvent(run.id, 1)]);
      await store.deleteRun(run.id);
      expect(await store.findRun(run.id)).toBeUndefined();
      expect(await store.readEvents(run.id, 0, 10)).toEqual([]);
    });

    it('gives an untaken run to one of two claimers, and takes no lease from its holder', async () => {
      const run = runRecord();
      await store.insertRun(run);
      const claims = await Promise.all([
        store.claimLease(run.id, 'worker-a', 60_000, 'nobody'),
        store.claimLease(run.id, 'worker-b', 60_000, 'nobody'),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const holder = claims[0] ? 'worker-a' : 'worker-b';
      expect(await store.claimLease(run.id, 'worker-c', 60_000, 'expired')).toBe(false);
      expect(await store.renewLease(run.id, 'worker-c', 60_000)).toBe(false);
      expect(await store.renewLease(run.id, holder, 60_000)).toBe(true);
      await store.updateRun(run.id, { state: 'completed', finishedAt: '2026-01-02T00:00:00.000Z' });
      expect(await store.renewLease(run.id, holder, 60_000)).toBe(false);
      expect(await store.claimLease(run.id, 'worker-c', 60_000, 'anyone')).toBe(false);
    });

    it('lists the unfinished runs whose lease lapsed, but the asker’s own, and lets one of two sweepers take each over', async () => {
      const lapsed = runRecord();
      const held = runRecord();
      const untaken = runRecord();
      for (const run of [lapsed, held, untaken]) await store.insertRun(run);
      // A lease of negative length has lapsed already: no test waits for a clock.
      await store.claimLease(lapsed.id, 'dead-worker', -1_000, 'nobody');
      await store.claimLease(held.id, 'live-worker', 60_000, 'nobody');
      expect(await store.expiredLeases('sweeper-a')).toContain(lapsed.id);
      expect(await store.expiredLeases('sweeper-a')).not.toContain(held.id);
      expect(await store.expiredLeases('sweeper-a')).not.toContain(untaken.id);
      expect(await store.expiredLeases('dead-worker')).not.toContain(lapsed.id);
      const second = await underTest.open();
      try {
        const sweeps = await Promise.all([
          store.claimLease(lapsed.id, 'sweeper-a', 60_000, 'expired'),
          second.claimLease(lapsed.id, 'sweeper-b', 60_000, 'expired'),
        ]);
        expect(sweeps.filter(Boolean)).toHaveLength(1);
      } finally {
        await second.close();
      }
      expect(await store.expiredLeases('sweeper-c')).not.toContain(lapsed.id);
      expect(await store.claimLease(held.id, 'sweeper-a', 60_000, 'expired')).toBe(false);
    });

    it('fences off a writer that lost its lease: its events and changes are refused, the holder’s stored', async () => {
      const run = runRecord();
      const other = runRecord();
      await store.insertRun(run);
      await store.insertRun(other);
      await store.claimLease(run.id, 'stale-worker', -1_000, 'nobody');
      await store.claimLease(other.id, 'stale-worker', 60_000, 'nobody');
      await store.appendEvents([storedEvent(run.id, 1)], 'stale-worker');
      expect(await store.claimLease(run.id, 'sweeper', 60_000, 'expired')).toBe(true);

      const refused = store.appendEvents([storedEvent(other.id, 1), storedEvent(run.id, 2)], 'stale-worker');
      await expect(refused).rejects.toThrow(LeaseLost);
      await expect(refused).rejects.toMatchObject({ workflowIds: [run.id] });
      expect(await store.readEvents(other.id, 0, 10)).toEqual([]);
      await store.updateRun(run.id, { state: 'running' }, 'stale-worker');

      await store.appendEvents([storedEvent(run.id, 2)], 'sweeper');
      await store.updateRun(run.id, { state: 'failed', finishedAt: '2026-01-02T00:00:00.000Z' }, 'sweeper');
      await store.updateRun(run.id, { state: 'completed' }, 'stale-worker');
      expect(await store.findRun(run.id)).toMatchObject({ state: 'failed' });
      expect((await store.readEvents(run.id, 0, 10)).map((event) => event.id)).toEqual([1, 2]);
      await store.appendEvents([storedEvent(other.id, 1)], 'stale-worker');
    });
  });
}

import { EventEmitter2 } from '@nestjs/event-emitter';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type FakeGitHub, startFakeGitHub } from '../../test/fake-github/fake-github-server';
import { loadConfig } from '../config/load-config';
import { GitHubClient } from '../github/github-client';
import { GitHubIssues } from '../github/github-issues';
import { insertScratchRun, openScratchStore } from '../../test/store/scratch-store';
import type { IssueSource } from '../store/run-record';
import type { SqliteRunStore } from '../store/sqlite/sqlite-run-store';
import { CommentPoster, type CommentToPost, commentMarker } from './comment-poster.service';

const COMMENTS_PATH = '/repos/acme/widgets/issues/7/comments';

describe(CommentPoster.name, () => {
  let github: FakeGitHub;
  let store: SqliteRunStore;
  let poster: CommentPoster;
  const signal = new AbortController().signal;
  const source: Extract<IssueSource, { kind: 'github' }> = {
    kind: 'github',
    repository: 'acme/widgets',
    issueNumber: 7,
  };

  /** A poster as a new process would have it, on the same store and GitHub. */
  const newPoster = () =>
    new CommentPoster(
      new GitHubIssues(
        new GitHubClient(
          loadConfig({ GITHUB_API_URL: github.apiUrl, GITHUB_RETRY_DELAY_MS: '1' }).github,
          new EventEmitter2(),
        ),
      ),
      store,
    );

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    github = await startFakeGitHub();
    github.addIssue('acme/widgets', { number: 7, title: 'Crash when saving' });
    store = await openScratchStore();
    poster = newPoster();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await github.close();
    await store.close();
  });

  async function draftedRun(draft = 'The cause is in src/save.ts.'): Promise<CommentToPost> {
    const workflowId = randomUUID();
    await insertScratchRun(store, workflowId, { source });
    return { workflowId, source, draft };
  }

  /** What another instance posting the run holds: the claim, for the next minute. */
  const claimedElsewhere = (run: CommentToPost) =>
    store.claimPosting(
      run.workflowId,
      new Date().toISOString(),
      new Date(Date.now() + 60_000).toISOString(),
    );

  const creates = () => github.requests.filter((request) => request.method === 'POST');

  it('records the attempt, posts the draft with the run’s marker and stores the URL', async () => {
    const run = await draftedRun();
    const before = new Date().toISOString();

    const url = await poster.post(run, signal);

    const [comment] = github.commentsOf('acme/widgets', 7);
    expect(comment.body).toBe(`The cause is in src/save.ts.\n\n${commentMarker(run.workflowId)}`);
    expect(commentMarker(run.workflowId)).toBe(`<!-- issuecast:run=${run.workflowId} -->`);
    expect(url).toBe(comment.html_url);
    const stored = await store.findRun(run.workflowId);
    expect(stored?.commentUrl).toBe(url);
    expect((stored?.postingAttemptedAt ?? '') >= before).toBe(true);
  });

  it('creates one comment when the same run is posted several times at once', async () => {
    const run = await draftedRun();

    const urls = await Promise.all([
      poster.post(run, signal),
      poster.post(run, signal),
      poster.post(run, signal),
    ]);

    expect(new Set(urls).size).toBe(1);
    expect(github.commentsOf('acme/widgets', 7)).toHaveLength(1);
    expect(creates()).toHaveLength(1);
  });

  it('after a crash between the create and the stored URL, finds the comment by its marker and creates none', async () => {
    const run = await draftedRun();
    const url = await poster.post(run, signal);
    // What a process killed right after GitHub created the comment leaves: the attempt, its claim
    // (run out by now), no URL.
    await store.updateRun(run.workflowId, {
      commentUrl: undefined,
      postingClaimedUntil: new Date(Date.now() - 1).toISOString(),
    });

    await expect(newPoster().post(run, signal)).resolves.toBe(url);
    expect(creates()).toHaveLength(1);
    expect((await store.findRun(run.workflowId))?.commentUrl).toBe(url);
  });

  it('creates nothing while another instance holds the claim, and answers the URL that one stores', async () => {
    const run = await draftedRun();
    const elsewhere = 'https://github.com/acme/widgets/issues/7#issuecomment-elsewhere';
    expect(await claimedElsewhere(run)).toBe(true);

    const waiting = poster.post(run, signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await store.updateRun(run.workflowId, { commentUrl: elsewhere, postingClaimedUntil: undefined });

    await expect(waiting).resolves.toBe(elsewhere);
    expect(github.requests).toEqual([]);
  });

  it('answers 409 when the holder neither posts nor frees the claim while it waits, and creates nothing', async () => {
    const run = await draftedRun();
    await claimedElsewhere(run);

    await expect(poster.post(run, signal)).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/being posted by another request/),
    });
    expect(github.requests).toEqual([]);
    expect((await store.findRun(run.workflowId))?.commentUrl).toBeUndefined();
  }, 30_000);

  it('takes the claim over once its holder freed it without posting, and posts', async () => {
    const run = await draftedRun();
    await claimedElsewhere(run);

    const waiting = poster.post(run, signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(creates()).toEqual([]);
    await store.updateRun(run.workflowId, { postingClaimedUntil: undefined });

    const url = await waiting;
    expect(github.commentsOf('acme/widgets', 7).map((comment) => comment.html_url)).toEqual([url]);
  });

  it('lets a post that failed be tried again', async () => {
    github.failNext(COMMENTS_PATH, { status: 502, method: 'GET' });
    github.failNext(COMMENTS_PATH, { status: 502, method: 'GET' });
    github.failNext(COMMENTS_PATH, { status: 502, method: 'GET' });
    const run = await draftedRun();

    await expect(poster.post(run, signal)).rejects.toMatchObject({ code: 'github_failed' });
    const url = await poster.post(run, signal);

    expect(github.commentsOf('acme/widgets', 7)).toHaveLength(1);
    expect(url).toBe(github.commentsOf('acme/widgets', 7)[0].html_url);
  });

  it('keeps runs apart: two runs on one issue post two comments', async () => {
    const first = await poster.post(await draftedRun('First.'), signal);
    const second = await poster.post(await draftedRun('Second.'), signal);

    expect(first).not.toBe(second);
    expect(github.commentsOf('acme/widgets', 7).map((comment) => comment.body.split('\n')[0])).toEqual([
      'First.',
      'Second.',
    ]);
  }, 10_000);
});

import { EventEmitter2 } from '@nestjs/event-emitter';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type FakeGitHub, startFakeGitHub } from '../../test/fake-github/fake-github-server';
import { loadConfig } from '../config/load-config';
import { GitHubClient } from '../github/github-client';
import { GitHubIssues } from '../github/github-issues';
import { CommentPoster, commentMarker } from './comment-poster.service';
import { WorkflowRun } from './workflow-run';

const COMMENTS_PATH = '/repos/acme/widgets/issues/7/comments';

describe(CommentPoster.name, () => {
  let github: FakeGitHub;
  let poster: CommentPoster;
  const signal = new AbortController().signal;

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    github = await startFakeGitHub();
    github.addIssue('acme/widgets', { number: 7, title: 'Crash when saving' });
    poster = new CommentPoster(
      new GitHubIssues(
        new GitHubClient(
          loadConfig({ GITHUB_API_URL: github.apiUrl, GITHUB_RETRY_DELAY_MS: '1' }).github,
          new EventEmitter2(),
        ),
      ),
    );
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await github.close();
  });

  function draftedRun(draft = 'The cause is in src/save.ts.'): WorkflowRun {
    const run = new WorkflowRun(randomUUID(), 'alice', {
      kind: 'github',
      repository: 'acme/widgets',
      issueNumber: 7,
    });
    run.draft = draft;
    return run;
  }

  const creates = () => github.requests.filter((request) => request.method === 'POST');

  it('posts the draft with the run’s marker and records the URL on the run', async () => {
    const run = draftedRun();

    const url = await poster.post(run, signal);

    const [comment] = github.commentsOf('acme/widgets', 7);
    expect(comment.body).toBe(`The cause is in src/save.ts.\n\n${commentMarker(run.id)}`);
    expect(commentMarker(run.id)).toBe(`<!-- issuecast:run=${run.id} -->`);
    expect(url).toBe(comment.html_url);
    expect(run.commentUrl).toBe(url);
  });

  it('creates one comment when the same run is posted several times at once', async () => {
    const run = draftedRun();

    const urls = await Promise.all([
      poster.post(run, signal),
      poster.post(run, signal),
      poster.post(run, signal),
    ]);

    expect(new Set(urls).size).toBe(1);
    expect(github.commentsOf('acme/widgets', 7)).toHaveLength(1);
    expect(creates()).toHaveLength(1);
  });

  it('answers the recorded URL of a run that has posted, without asking GitHub', async () => {
    const run = draftedRun();
    const url = await poster.post(run, signal);
    const asked = github.requests.length;

    await expect(poster.post(run, signal)).resolves.toBe(url);
    expect(github.requests).toHaveLength(asked);
  });

  it('lets a post that failed be tried again', async () => {
    github.failNext(COMMENTS_PATH, { status: 502, method: 'GET' });
    github.failNext(COMMENTS_PATH, { status: 502, method: 'GET' });
    github.failNext(COMMENTS_PATH, { status: 502, method: 'GET' });
    const run = draftedRun();

    await expect(poster.post(run, signal)).rejects.toMatchObject({ code: 'github_failed' });
    const url = await poster.post(run, signal);

    expect(github.commentsOf('acme/widgets', 7)).toHaveLength(1);
    expect(url).toBe(github.commentsOf('acme/widgets', 7)[0].html_url);
  });

  it('keeps runs apart: two runs on one issue post two comments', async () => {
    const first = await poster.post(draftedRun('First.'), signal);
    const second = await poster.post(draftedRun('Second.'), signal);

    expect(first).not.toBe(second);
    expect(github.commentsOf('acme/widgets', 7).map((comment) => comment.body.split('\n')[0])).toEqual([
      'First.',
      'Second.',
    ]);
  }, 10_000);
});

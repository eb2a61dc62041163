import type { RunSnapshot, RunStarted } from '@issuecast/workflows-api';
import { isTerminalEvent, type WorkflowEvent } from '@issuecast/workflow-events';
import { randomUUID } from 'node:crypto';
import { streamAnswer } from '../fake-openai-server';
import { REPOSITORY, RepositoryApp } from './repository-app';
import { stepsOf, textOf } from '../run-events';
import { describeOnEachStore } from '../store/test-store';

describeOnEachStore('commentOnIssue on a GitHub repository, over HTTP', (store) => {
  const app = RepositoryApp.start(store);

  describe('posting', () => {
    it('posts when asked at the start: posting, then complete with the commentUrl; the comment is the text plus the marker', async () => {
      const issueNumber = app.newIssue();

      const { workflowId, events } = await app.runToEnd({
        repository: REPOSITORY,
        issueNumber,
        postToGitHub: true,
      });

      expect(stepsOf(events).slice(-2)).toEqual(['drafting', 'posting']);
      const complete = events.at(-1) as WorkflowEvent<'complete'>;
      const comments = app.github.commentsOf(REPOSITORY, issueNumber);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toBe(`${complete.data.content}\n\n<!-- issuecast:run=${workflowId} -->`);
      expect(complete.data.commentUrl).toBe(comments[0].html_url);
      expect(await app.snapshotOf(workflowId)).toMatchObject({
        status: 'completed',
        commentUrl: comments[0].html_url,
      });
    });

    it('posts a finished draft later, once, however often and however concurrently it is asked', async () => {
      const issueNumber = app.newIssue();
      const { workflowId, events } = await app.runToEnd({ repository: REPOSITORY, issueNumber });

      const response = await app.postLater(workflowId);
      const snapshot = (await response.json()) as RunSnapshot;
      const again = await Promise.all([
        app.postLater(workflowId),
        app.postLater(workflowId),
        app.postLater(workflowId),
      ]);

      const comments = app.github.commentsOf(REPOSITORY, issueNumber);
      expect(response.status).toBe(200);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toBe(`${textOf(events)}\n\n<!-- issuecast:run=${workflowId} -->`);
      expect(snapshot).toMatchObject({ workflowId, status: 'completed', commentUrl: comments[0].html_url });
      for (const repeat of again) {
        expect(repeat.status).toBe(200);
        expect(((await repeat.json()) as RunSnapshot).commentUrl).toBe(comments[0].html_url);
      }
      expect(
        app.github.requests.filter(
          (request) => request.method === 'POST' && request.path.includes(`/${issueNumber}/`),
        ),
      ).toHaveLength(1);
      // The run's events stay as they were: one terminal event, last.
      const replay = await app.api.readSse(`/api/workflows/${workflowId}/events`);
      expect(replay.events).toEqual(events);
      expect(replay.events.filter(isTerminalEvent)).toHaveLength(1);
    });

    it('refuses postToGitHub without a GitHub issue, naming the field', async () => {
      const pasted = await app.api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        body: { issue: { title: 'Crash' }, repository: REPOSITORY, postToGitHub: true },
      });
      const notBoolean = await app.api.request('/api/workflows/comment-on-issue', {
        method: 'POST',
        body: { repository: REPOSITORY, issueNumber: 1, postToGitHub: 'yes' },
      });

      expect(pasted.status).toBe(400);
      expect(await pasted.json()).toMatchObject({
        message: expect.stringContaining('postToGitHub needs a GitHub issue'),
      });
      expect(notBoolean.status).toBe(400);
      expect(JSON.stringify(await notBoolean.json())).toContain('postToGitHub must be a boolean value');
    });

    it('answers 409 for a run without a GitHub issue, a run still going and a run that failed before drafting', async () => {
      const pasted = await app.runToEnd({ issue: { title: 'Crash on save' } });
      const failed = await app.runToEnd({ repository: REPOSITORY, issueNumber: 99_999 });
      app.openai.script(streamAnswer(['Still writing'], { end: 'stall' }));
      const running = (await (
        await app.api.request('/api/workflows/comment-on-issue', {
          method: 'POST',
          body: { repository: REPOSITORY, issueNumber: app.newIssue() },
        })
      ).json()) as RunStarted;
      const stream = await app.api.openSse(running.eventsUrl);
      await stream.waitFor((event) => event.type === 'llm_response');
      stream.abort();

      const answers = await Promise.all([
        app.postLater(pasted.workflowId),
        app.postLater(failed.workflowId),
        app.postLater(running.workflowId),
      ]);
      await app.api.request(`/api/workflows/${running.workflowId}/cancel`, { method: 'POST' });

      expect(answers.map((answer) => answer.status)).toEqual([409, 409, 409]);
      const messages = await Promise.all(
        answers.map(async (answer) => ((await answer.json()) as { message: string }).message),
      );
      expect(messages).toEqual([
        `Workflow ${pasted.workflowId} has no GitHub issue to post to`,
        `Workflow ${failed.workflowId} ended (failed) without a comment to post`,
        `Workflow ${running.workflowId} is still running`,
      ]);
    });

    it("answers 404 for another user's run and for an unknown one, and posts nothing", async () => {
      const issueNumber = app.newIssue();
      const { workflowId } = await app.runToEnd({ repository: REPOSITORY, issueNumber });

      const bob = await app.postLater(workflowId, 'bob');
      const unknown = await app.postLater(randomUUID());

      expect(bob.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(app.github.commentsOf(REPOSITORY, issueNumber)).toHaveLength(0);
    });
  });
});

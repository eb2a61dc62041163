import type { RunSnapshot, RunStarted } from '@issuecast/workflows-api';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github-server';
import { type FakeOpenAi, startFakeOpenAi } from '../fake-openai-server';
import { createTestStore, type TestStore } from '../store/test-store';
import { describeWithSharedMode } from '../store/test-redis';
import { startTestApp, type TestApp } from '../test-app';
import { envFor, FILES, GITHUB_TOKEN, REPOSITORY } from '../workflows/repository-app';

describeWithSharedMode('posting a comment from two instances at once', () => {
  let store: TestStore;
  let openai: FakeOpenAi;
  let github: FakeGitHub;
  let apis: TestApp[];

  beforeAll(async () => {
    store = await createTestStore('shared');
    openai = await startFakeOpenAi();
    github = await startFakeGitHub({ token: GITHUB_TOKEN });
    github.addRepository(REPOSITORY, { files: FILES });
    const env = envFor(openai, github, {
      ...store.env,
      AUTH_JWT_SECRET: 'posting-race-spec-secret-0123456789abcdef',
    });
    apis = [await startTestApp(env), await startTestApp(env)];
  });

  afterAll(async () => {
    for (const api of apis) await api.close();
    await github.close();
    await openai.close();
    await store.remove();
  });

  it('leaves exactly one comment when eight posts race over two instances, and every post that succeeds answers its URL', async () => {
    github.addIssue(REPOSITORY, {
      number: 7,
      title: 'Export to CSV drops the last row',
      body: '10 rows give 9.',
    });
    const [first] = apis;
    const started = await first.request('/api/workflows/comment-on-issue', {
      method: 'POST',
      body: { repository: REPOSITORY, issueNumber: 7 },
    });
    const { workflowId, eventsUrl } = (await started.json()) as RunStarted;
    expect((await first.readSse(eventsUrl)).events.at(-1)?.type).toBe('complete');

    const posts = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        apis[index % 2].request(`/api/workflows/${workflowId}/post`, { method: 'POST' }),
      ),
    );

    const comments = github.commentsOf(REPOSITORY, 7);
    expect(comments).toHaveLength(1);
    const statuses = posts.map((post) => post.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const succeeded = await Promise.all(
      posts
        .filter((post) => post.status === 200)
        .map(async (post) => ((await post.json()) as RunSnapshot).commentUrl),
    );
    expect(succeeded.length).toBeGreaterThan(0);
    expect(new Set(succeeded)).toEqual(new Set([comments[0].html_url]));
    for (const api of apis) {
      const snapshot = (await (await api.request(`/api/workflows/${workflowId}`)).json()) as RunSnapshot;
      expect(snapshot.commentUrl).toBe(comments[0].html_url);
    }
  });
});

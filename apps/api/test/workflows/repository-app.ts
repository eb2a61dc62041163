import type { RunSnapshot, RunStarted } from '@issuecast/workflows-api';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github-server';
import { type FakeOpenAi, type RecordedRequest, startFakeOpenAi } from '../fake-openai-server';
import type { StoreKind } from '../store/test-store';
import { type Caller, startTestApp, type TestApp } from '../test-app';

/** The secrets of the app: whatever the model reads or the API answers, they never show. */
export const GITHUB_TOKEN = 'ghp_integrationTokenThatMustNeverLeak00000';
const OPENAI_API_KEY = 'sk-integration-key-that-must-never-leak-000';
export const REPOSITORY = 'acme/widgets';

const CSV_TS = [
  "import type { Row } from '../row';",
  '',
  'export function writeRows(rows: Row[], out: string[]): void {',
  '  for (let i = 0; i < rows.length - 1; i++) out.push(rows[i].join(","));',
  '}',
].join('\n');

/** The files of `REPOSITORY`: a CSV export whose loop drops the last row. */
export const FILES = {
  'README.md': '# Widgets\n',
  'src/export/csv.ts': CSV_TS,
  'src/export/row.ts': 'export type Row = string[];\n',
  'src/export/index.ts': "export { writeRows } from '../csv';\n",
  // A token committed by mistake: whatever the model reads, it must never see a configured secret.
  'deploy/settings.env': `GITHUB_TOKEN=${GITHUB_TOKEN}\nREGION=eu\n`,
};

/** Everything each test app shares: the fake model and GitHub, the secrets, quick retries. */
export function envFor(openai: FakeOpenAi, github: FakeGitHub, env: Record<string, string> = {}) {
  return {
    ...openai.appEnv,
    OPENAI_API_KEY,
    OPENAI_TIMEOUT_MS: '5000',
    GITHUB_API_URL: github.apiUrl,
    GITHUB_TOKEN,
    GITHUB_RETRY_DELAY_MS: '1',
    TOOLS_MAX_CALLS: '3',
    ...env,
  };
}

/**
 * The app on a real port against a fake model and a fake GitHub serving `REPOSITORY`, started
 * once for the tests of the `describe` it is called in, with what those tests do to it.
 */
export class RepositoryApp {
  openai!: FakeOpenAi;
  github!: FakeGitHub;
  api!: TestApp;
  private nextIssue = 100;

  /** Starts the app on `store` and its fakes before the tests of the enclosing `describe`, and stops them after. */
  static start(store: StoreKind = 'embedded'): RepositoryApp {
    const app = new RepositoryApp();
    beforeAll(async () => {
      app.openai = await startFakeOpenAi();
      app.github = await startFakeGitHub({ token: GITHUB_TOKEN });
      app.github.addRepository(REPOSITORY, { files: FILES });
      app.api = await startTestApp(envFor(app.openai, app.github), { store });
    });
    afterAll(async () => {
      await app.api.close();
      await app.github.close();
      await app.openai.close();
    });
    return app;
  }

  /** A new issue of the repository, so each test counts its own comments. */
  newIssue(body = 'Exporting 10 rows to CSV gives a file with 9.'): number {
    const number = this.nextIssue++;
    this.github.addIssue(REPOSITORY, {
      number,
      title: 'Export to CSV drops the last row',
      body,
      labels: ['bug'],
    });
    return number;
  }

  /** Starts a run with `body` and reads its events to the end. */
  async runToEnd(body: object) {
    const response = await this.api.request('/api/workflows/comment-on-issue', { method: 'POST', body });
    expect(response.status).toBe(202);
    const started = (await response.json()) as RunStarted;
    const session = await this.api.readSse(started.eventsUrl);
    return { workflowId: started.workflowId, events: session.events, messages: session.messages };
  }

  async snapshotOf(workflowId: string): Promise<RunSnapshot> {
    return (await (await this.api.request(`/api/workflows/${workflowId}`)).json()) as RunSnapshot;
  }

  postLater(workflowId: string, as: Caller = 'alice') {
    return this.api.request(`/api/workflows/${workflowId}/post`, { method: 'POST', as });
  }

  /** The model requests made from now on. */
  modelRequestsFrom(): () => RecordedRequest[] {
    const from = this.openai.requests.length;
    return () => this.openai.requests.slice(from);
  }
}

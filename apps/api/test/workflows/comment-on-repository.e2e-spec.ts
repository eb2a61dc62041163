import { isTerminalEvent, type WorkflowEvent } from '@issuecast/workflow-events';
import { rateLimitAnswer, type ScriptedAnswer } from '../fake-github/fake-github-server';
import { streamAnswer, toolCallsAnswer } from '../fake-openai-server';
import { REPOSITORY, RepositoryApp } from './repository-app';
import { stepsOf, textOf } from '../run-events';

type ToolEvent = WorkflowEvent<'tool_call'> | WorkflowEvent<'tool_result'>;

describe('commentOnIssue on a GitHub repository, over HTTP', () => {
  const app = RepositoryApp.start();

  describe('reading the repository', () => {
    it('reads files through the tools and streams a comment that names them', async () => {
      const issueNumber = app.newIssue();
      app.github.addComment(REPOSITORY, issueNumber, { author: 'bob', body: 'Same with 3 rows: I get 2.' });
      const requests = app.modelRequestsFrom();
      app.openai.script(
        toolCallsAnswer({ id: 'call_search', name: 'search_code', arguments: { query: 'writeRows' } }),
        toolCallsAnswer({ id: 'call_read', name: 'read_file', arguments: { path: 'src/export/csv.ts' } }),
        streamAnswer([
          'The last row is lost in `writeRows` ',
          '(src/export/csv.ts): its loop stops at `rows.length - 1`. ',
          'Plan: loop to `rows.length` and add a test with one row.',
        ]),
      );

      const { events, messages } = await app.runToEnd({ repository: REPOSITORY, issueNumber });

      expect(stepsOf(events)).toEqual(['queued', 'fetching_issue', 'reading_repository', 'drafting']);
      const tools = events.filter(
        (event): event is ToolEvent => event.type === 'tool_call' || event.type === 'tool_result',
      );
      expect(tools.map((event) => [event.type, event.data.callId, event.data.tool])).toEqual([
        ['tool_call', 'call_search', 'search_code'],
        ['tool_result', 'call_search', 'search_code'],
        ['tool_call', 'call_read', 'read_file'],
        ['tool_result', 'call_read', 'read_file'],
      ]);
      expect(tools.map((event) => event.data.content)).toEqual([
        'Searching the code for "writeRows"',
        'Found 2 files matching "writeRows"',
        'Reading src/export/csv.ts',
        'Read src/export/csv.ts (5 lines)',
      ]);
      const complete = events.at(-1) as WorkflowEvent<'complete'>;
      expect(complete.type).toBe('complete');
      expect(complete.data.content).toBe(textOf(events));
      expect(complete.data.content).toContain('`writeRows` (src/export/csv.ts)');
      expect(complete.data.commentUrl).toBeUndefined();

      const [first, , last] = requests().map((request) => request.body);
      expect(first?.tools?.map((tool) => tool.function.name)).toEqual([
        'list_files',
        'read_file',
        'search_code',
      ]);
      expect(JSON.stringify(first?.messages)).toContain('Same with 3 rows: I get 2.');
      expect(last?.messages?.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_read' });
      expect(String(last?.messages?.at(-1)?.content)).toContain('i < rows.length - 1');
      // The timeline says what was read; only the model gets the content.
      expect(messages.map((message) => message.data).join('\n')).not.toContain('i < rows.length - 1');
    });

    it('tells the model when a bound is hit, asks for its answer, and says in the comment what was cut short', async () => {
      const requests = app.modelRequestsFrom();
      app.openai.script(
        toolCallsAnswer({ name: 'list_files', arguments: { path: 'src' } }),
        toolCallsAnswer(
          { name: 'read_file', arguments: { path: 'src/export/index.ts' } },
          { name: 'read_file', arguments: { path: 'src/export/row.ts' } },
        ),
        streamAnswer(['From the files read, `writeRows` is the likely place.']),
      );

      const { events } = await app.runToEnd({ repository: REPOSITORY, issueNumber: app.newIssue() });

      const complete = events.at(-1) as WorkflowEvent<'complete'>;
      expect(complete.data.content).toBe(textOf(events));
      expect(complete.data.content).toMatch(
        /^From the files read, `writeRows` is the likely place\.\n\n---\n\n\*\*Note:\*\* Issuecast stopped reading acme\/widgets before the model was done: it reached the limit of 3 tool calls\./,
      );
      const final = requests().at(-1)?.body;
      expect(final?.tool_choice).toBe('none');
      expect(JSON.stringify(final?.messages?.at(-1))).toContain('you have reached the limit of 3 tool calls');
    });
  });

  describe('GitHub failing to give the issue', () => {
    const resetsAt = new Date(Date.UTC(2030, 0, 1));

    it.each<[string, ScriptedAnswer, RegExp, boolean]>([
      [
        '401',
        { status: 401 },
        /GitHub rejected the configured token \(GITHUB_TOKEN\) while fetching acme\/widgets#\d+\./,
        false,
      ],
      [
        '403 not accessible by integration',
        { status: 403, message: 'Resource not accessible by integration' },
        /GitHub App behind the token is not installed on acme\/widgets or lacks the "Issues: read" permission/,
        false,
      ],
      [
        '404',
        { status: 404 },
        /acme\/widgets#\d+ was not found, or it is not visible to the configured token\./,
        false,
      ],
      [
        '410',
        { status: 410 },
        /acme\/widgets#\d+ is gone: it was deleted, or issues are disabled in acme\/widgets\./,
        false,
      ],
      [
        '422',
        { status: 422 },
        /GitHub refused fetching acme\/widgets#\d+ as invalid \(GitHub said: "Validation Failed"\)\./,
        false,
      ],
      [
        'a spent rate limit',
        rateLimitAnswer(resetsAt),
        /rate limit was reached while fetching acme\/widgets#\d+; it resets at 2030-01-01T00:00:00Z\./,
        true,
      ],
    ])('ends the run with a clear github_failed error on %s', async (_case, answer, message, retryable) => {
      const issueNumber = app.newIssue();
      app.github.failNext(`/repos/${REPOSITORY}/issues/${issueNumber}`, answer);
      const requests = app.modelRequestsFrom();

      const { workflowId, events } = await app.runToEnd({ repository: REPOSITORY, issueNumber });

      expect(events.filter(isTerminalEvent)).toEqual([events.at(-1)]);
      expect(events.at(-1)).toMatchObject({ type: 'error', data: { code: 'github_failed', retryable } });
      expect(events.at(-1)?.data.content).toMatch(message);
      expect(requests()).toHaveLength(0);
      expect(await app.snapshotOf(workflowId)).toMatchObject({
        status: 'failed',
        error: { code: 'github_failed', retryable },
      });
    });
  });
});

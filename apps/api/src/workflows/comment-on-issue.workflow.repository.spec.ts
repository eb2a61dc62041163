import { type WorkflowEvent } from '@issuecast/workflow-events';
import {
  PASTED,
  ReadingLlm,
  readFile,
  ScriptedLlm,
  WorkflowHarness,
} from '../../test/comment-on-issue-harness';
import { shapeOf, textOf } from '../../test/run-events';
import { CommentOnIssueWorkflow } from './comment-on-issue.workflow';
import type { IssueSource } from '../store/run-record';

describe(CommentOnIssueWorkflow.name, () => {
  const harness = WorkflowHarness.register();
  const { workflowWith, newRun, eventsOf } = harness;

  describe('on a repository', () => {
    const GITHUB_ISSUE: IssueSource = { kind: 'github', repository: 'acme/gadgets', issueNumber: 3 };

    beforeAll(() => {
      harness.github.addIssue('acme/gadgets', {
        number: 3,
        title: 'Totals are off by one',
        body: 'The total skips the last item.',
      });
      harness.github.addRepository('acme/gadgets', {
        files: {
          'src/total.ts':
            'export function total(items: number[]) {\n  return items.slice(0, -1).reduce((a, b) => a + b, 0);\n}\n',
          'src/index.ts': "export { total } from './total';\n",
        },
      });
    });

    it('reads through the tools: reading_repository, each tool_call then its tool_result, then the drafting', async () => {
      const llm = new ReadingLlm(
        [readFile('src/index.ts', 'call_1'), readFile('src/total.ts', 'call_2')],
        ['`total` in src/total.ts ', 'drops the last item.'],
      );
      const run = await newRun(GITHUB_ISSUE);

      await workflowWith(llm).run(run);

      const events = await eventsOf(run);
      expect(shapeOf(events)).toEqual([
        'status:queued',
        'status:fetching_issue',
        'status:reading_repository',
        'tool_call',
        'tool_result',
        'tool_call',
        'tool_result',
        'status:drafting',
        'llm_response',
        'llm_response',
        'complete',
      ]);
      const tools = events.filter((event) => event.type === 'tool_call' || event.type === 'tool_result');
      expect(tools.map((event) => [event.type, (event as WorkflowEvent<'tool_call'>).data.callId])).toEqual([
        ['tool_call', 'call_1'],
        ['tool_result', 'call_1'],
        ['tool_call', 'call_2'],
        ['tool_result', 'call_2'],
      ]);
      expect(tools[2].data).toEqual({
        content: 'Reading src/total.ts',
        tool: 'read_file',
        callId: 'call_2',
        arguments: { path: 'src/total.ts' },
      });
      expect(tools[3].data).toEqual({
        content: 'Read src/total.ts (3 lines)',
        tool: 'read_file',
        callId: 'call_2',
        ok: true,
      });
      expect(llm.answers[1]).toContain('items.slice(0, -1)');
      expect(JSON.stringify(events)).not.toContain('items.slice(0, -1)');
      expect((events.at(-1) as WorkflowEvent<'complete'>).data.content).toBe(
        '`total` in src/total.ts drops the last item.',
      );
    });

    it('gives tools to no model that cannot use them, and to no run without a repository', async () => {
      const scripted = new ScriptedLlm(['ok']);
      const reading = new ReadingLlm([], ['ok']);

      await workflowWith(scripted).run(await newRun(GITHUB_ISSUE));
      await workflowWith(reading).run(await newRun());

      expect(scripted.requests[0].tools).toBeUndefined();
      expect(reading.requests[0].tools).toBeUndefined();
    });

    it('hands a pasted issue with a repository the tools of that repository', async () => {
      const llm = new ReadingLlm([readFile('src/total.ts', 'c')], ['ok']);

      await workflowWith(llm).run(
        await newRun({ kind: 'pasted', issue: { ...PASTED, repository: 'acme/gadgets' } }),
      );

      expect(llm.answers[0]).toContain('export function total');
    });

    it('ends the comment with a note saying what was cut short when a bound stopped the reading', async () => {
      const llm = new ReadingLlm(
        [readFile('src/index.ts', 'a'), readFile('src/total.ts', 'b')],
        ['The cause is unclear.'],
      );
      const run = await newRun(GITHUB_ISSUE);

      await workflowWith(llm, 50_000, { TOOLS_MAX_CALLS: '1' }).run(run);

      const events = await eventsOf(run);
      const complete = events.at(-1) as WorkflowEvent<'complete'>;
      expect(llm.answers[1]).toMatch(/^Not run: you have reached the limit of 1 tool calls/);
      expect(events.filter((event) => event.type === 'tool_result').map((event) => event.data)).toEqual([
        expect.objectContaining({ callId: 'a', ok: true }),
        expect.objectContaining({ callId: 'b', ok: false }),
      ]);
      expect(complete.data.content).toBe(textOf(events));
      expect(complete.data.content).toMatch(
        /^The cause is unclear\.\n\n---\n\n\*\*Note:\*\* Issuecast stopped reading acme\/gadgets before the model was done: it reached the limit of 1 tool calls\./,
      );
    });

    describe('posting', () => {
      const POSTED: IssueSource = { ...GITHUB_ISSUE, postToGitHub: true };

      it('posts the comment when asked: posting, then complete with the comment’s URL', async () => {
        const run = await newRun(POSTED);

        await workflowWith(new ScriptedLlm(['Thanks, ', 'looking into it.'])).run(run);

        const events = await eventsOf(run);
        expect(shapeOf(events).slice(-4)).toEqual([
          'llm_response',
          'llm_response',
          'status:posting',
          'complete',
        ]);
        const posted = harness.github.commentsOf('acme/gadgets', 3).at(-1);
        expect(posted?.body).toBe(`Thanks, looking into it.\n\n<!-- issuecast:run=${run.id} -->`);
        expect(events.at(-1)?.data).toEqual({
          content: 'Thanks, looking into it.',
          commentUrl: posted?.html_url,
          usage: expect.objectContaining({ model: 'scripted' }),
        });
        expect(run.commentUrl).toBe(posted?.html_url);
      });

      it('ends with a github_failed error saying the draft was not posted when GitHub refuses it', async () => {
        harness.github.failNext('/repos/acme/gadgets/issues/3/comments', {
          status: 403,
          message: 'Resource not accessible by integration',
          method: 'POST',
        });
        const run = await newRun(POSTED);

        await workflowWith(new ScriptedLlm(['A draft.'])).run(run);

        const events = await eventsOf(run);
        expect(shapeOf(events).slice(-2)).toEqual(['status:posting', 'error:github_failed']);
        expect(events.at(-1)?.data).toEqual({
          code: 'github_failed',
          retryable: false,
          content: expect.stringMatching(
            /^The comment was drafted but not posted\. .*"Issues: write" permission/,
          ),
        });
        expect(run.draft).toBe('A draft.');
        expect(textOf(events)).toBe('A draft.');
      });

      it('posts no empty comment', async () => {
        const before = harness.github.commentsOf('acme/gadgets', 3).length;
        const run = await newRun(POSTED);

        await workflowWith(new ScriptedLlm(['  '])).run(run);

        expect(shapeOf(await eventsOf(run)).at(-1)).toBe('error:llm_failed');
        expect(harness.github.commentsOf('acme/gadgets', 3)).toHaveLength(before);
      });
    });
  });
});

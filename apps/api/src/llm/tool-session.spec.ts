import type { RepositoryTools, ToolOutput } from './repository-tools';
import { BoundedToolSession, MAX_FILE_BYTES, type ToolCallListener, type ToolLimits } from './tool-session';

const SECRET = 'ghp_sessionSecret0000000000000000000000000';

/** Repository tools over a map of files; `hang` makes a read wait until its signal aborts. */
class InMemoryTools implements RepositoryTools {
  readonly repository = 'acme/widgets';
  readonly reads: { path: string; maxBytes: number }[] = [];
  hang = false;
  next?: Partial<ToolOutput>;

  constructor(private readonly files: Record<string, string>) {}

  listFiles(): Promise<ToolOutput> {
    const content = Object.keys(this.files).join('\n');
    return Promise.resolve({ ok: true, summary: 'Listed', content, bytes: content.length });
  }

  async readFile(
    { path, maxBytes }: { path: string; maxBytes: number },
    signal: AbortSignal,
  ): Promise<ToolOutput> {
    this.reads.push({ path, maxBytes });
    if (this.hang) {
      await new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error)),
      );
    }
    const content = (this.files[path] ?? '').slice(0, maxBytes);
    return { ok: true, summary: `Read ${path}`, content, bytes: content.length, ...this.next };
  }

  searchCode(): Promise<ToolOutput> {
    return Promise.resolve({ ok: true, summary: 'Found nothing', content: 'No match.', bytes: 9 });
  }
}

type Reported = { kind: 'call' | 'result'; callId: string; tool: string; [field: string]: unknown };

describe(BoundedToolSession.name, () => {
  let tools: InMemoryTools;
  let reported: Reported[];
  let listener: ToolCallListener;
  let run: AbortController;

  beforeEach(() => {
    tools = new InMemoryTools({
      'src/app.ts': 'main()',
      'src/big.ts': 'b'.repeat(100_000),
      '.env': `TOKEN=${SECRET}`,
    });
    reported = [];
    listener = {
      onCall: (call) => reported.push({ kind: 'call', ...call }),
      onResult: (result) => reported.push({ kind: 'result', ...result }),
    };
    run = new AbortController();
  });

  function session(limits: Partial<ToolLimits> = {}) {
    return new BoundedToolSession(
      tools,
      { maxCalls: 12, maxBytes: 200_000, timeLimitMs: 60_000, ...limits },
      listener,
      run.signal,
      [SECRET],
    );
  }

  const read = (path: string, id = `call_${path}`) => ({
    id,
    name: 'read_file',
    arguments: JSON.stringify({ path }),
  });

  it('offers the three repository tools with a JSON Schema of their arguments', () => {
    const { definitions } = session();

    expect(definitions.map((definition) => definition.name)).toEqual([
      'list_files',
      'read_file',
      'search_code',
    ]);
    expect(definitions[1].parameters).toMatchObject({
      type: 'object',
      properties: { path: { type: 'string' } },
      required: ['path'],
    });
  });

  it('reports each call, then its result with the same callId, and hands the model the content', async () => {
    const tooling = session();

    const content = await tooling.call(read('src/app.ts', 'call_1'));

    expect(content).toBe('main()');
    expect(reported).toEqual([
      {
        kind: 'call',
        callId: 'call_1',
        tool: 'read_file',
        arguments: { path: 'src/app.ts' },
        content: 'Reading src/app.ts',
      },
      { kind: 'result', callId: 'call_1', tool: 'read_file', ok: true, content: 'Read src/app.ts' },
    ]);
    expect(tooling.stopReason).toBeUndefined();
    expect(tooling.limitNote).toBeUndefined();
  });

  it.each([
    ['arguments that are not JSON', { id: 'c', name: 'read_file', arguments: '{"path":' }, /not valid JSON/],
    [
      'arguments of the wrong shape',
      { id: 'c', name: 'read_file', arguments: '{"file":"x"}' },
      /Invalid arguments for read_file: path/,
    ],
    [
      'an unknown tool',
      { id: 'c', name: 'delete_repository', arguments: '{}' },
      /no tool named "delete_repository"/,
    ],
  ])('answers %s with an error the model can read, reported as failed', async (_case, request, message) => {
    const content = await session().call(request);

    expect(content).toMatch(message);
    expect(reported.map((entry) => entry.kind)).toEqual(['call', 'result']);
    expect(reported[1]).toMatchObject({ ok: false, content: expect.stringMatching(message) });
    expect(tools.reads).toHaveLength(0);
  });

  it('stops after the most calls allowed, refuses the next one, and says so in the note', async () => {
    const tooling = session({ maxCalls: 2 });

    await tooling.call(read('src/app.ts', 'a'));
    expect(tooling.stopReason).toBeUndefined();
    await tooling.call({ id: 'b', name: 'list_files', arguments: '{}' });
    const refused = await tooling.call(read('src/app.ts', 'c'));

    expect(tooling.stopReason).toBe('the limit of 2 tool calls');
    expect(refused).toMatch(/^Not run: you have reached the limit of 2 tool calls/);
    expect(reported.at(-1)).toMatchObject({ kind: 'result', callId: 'c', ok: false });
    expect(tools.reads).toHaveLength(1);
    expect(tooling.limitNote).toMatch(/stopped reading acme\/widgets .*the limit of 2 tool calls/);
  });

  it(`reads at most ${MAX_FILE_BYTES} bytes of a file and stops once the bytes allowed are read`, async () => {
    const tooling = session({ maxBytes: 70_000 });

    await tooling.call(read('src/big.ts', 'a'));
    await tooling.call(read('src/big.ts', 'b'));

    expect(tools.reads.map((entry) => entry.maxBytes)).toEqual([MAX_FILE_BYTES, 70_000 - MAX_FILE_BYTES]);
    expect(tooling.stopReason).toBe('the limit of 70 kB read');
    expect(tooling.limitNote).toMatch(/the limit of 70 kB read/);
  });

  it('stops a call that outlasts the time limit, reports it, and stops reading', async () => {
    tools.hang = true;
    const tooling = session({ timeLimitMs: 50 });

    const content = await tooling.call(read('src/app.ts'));

    expect(content).toMatch(/^Stopped: you have reached the time limit/);
    expect(reported.at(-1)).toMatchObject({ kind: 'result', ok: false });
    expect(tooling.stopReason).toMatch(/the time limit of 50 ms for reading/);
    expect(run.signal.aborted).toBe(false);
  });

  it('rejects with the run’s reason when the run is aborted during a call', async () => {
    tools.hang = true;
    const reason = new Error('cancelled');
    const tooling = session();

    const calling = tooling.call(read('src/app.ts'));
    run.abort(reason);

    await expect(calling).rejects.toBe(reason);
  });

  it('stops every tool when one says so, as on a spent rate limit', async () => {
    tools.next = {
      ok: false,
      summary: 'Rate limited',
      content: 'Error: rate limit',
      stopAll: "GitHub's rate limit",
    };
    const tooling = session();

    await tooling.call(read('src/app.ts'));

    expect(tooling.stopReason).toBe("GitHub's rate limit");
  });

  it('redacts the configured secrets from what the model and the timeline are given', async () => {
    tools.next = { summary: `Read .env with ${SECRET}` };

    const content = await session().call(read('.env'));

    expect(content).toBe('TOKEN=[redacted]');
    expect(JSON.stringify(reported)).not.toContain(SECRET);
  });
});

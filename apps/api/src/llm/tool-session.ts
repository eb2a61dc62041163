import { redactSecrets } from '../config/secrets';
import {
  formatBytes,
  REPOSITORY_TOOL_ARGUMENTS,
  REPOSITORY_TOOL_DEFINITIONS,
  type RepositoryToolArguments,
  type RepositoryToolName,
  type RepositoryTools,
  type ToolDefinition,
  type ToolOutput,
} from './repository-tools';

/** The most bytes of one file handed to the model. */
export const MAX_FILE_BYTES = 64_000;
const MAX_TOOL_NAME_LENGTH = 64;

/** One tool call as the model asked for it; `arguments` is the model's JSON text, unchecked. */
export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: string;
}

/**
 * The tools of one run, as a provider sees them: what to offer the model, how to run what it asks
 * for, and when to stop offering. Implementations keep the run's bounds and report every call.
 */
export interface ToolSession {
  readonly definitions: readonly ToolDefinition[];
  /**
   * Set once a bound is hit: what the model must be told before it is asked for its answer without
   * tools. Undefined while tools may still be called.
   */
  readonly stopReason: string | undefined;
  /** Runs one call and resolves with what the model is told. Rejects only when the run is aborted. */
  call(request: ToolCallRequest): Promise<string>;
}

export interface ToolLimits {
  maxCalls: number;
  maxBytes: number;
  timeLimitMs: number;
}

/** What a session reports of each call, in order: the call, then its result with the same `callId`. */
export interface ToolCallListener {
  onCall(call: { callId: string; tool: string; arguments: Record<string, unknown>; content: string }): void;
  onResult(result: { callId: string; tool: string; ok: boolean; content: string }): void;
}

/**
 * Runs the repository tools for one run within its bounds (calls, bytes read, a time limit), reports
 * each call to a listener, and hands the model what was read with the configured secrets redacted.
 * Once a bound is hit, every further call is refused and `stopReason` says why.
 */
export class BoundedToolSession implements ToolSession {
  readonly definitions = REPOSITORY_TOOL_DEFINITIONS;
  private calls = 0;
  private bytes = 0;
  private stopped: string | undefined;
  private readonly deadline: AbortSignal;

  constructor(
    private readonly tools: RepositoryTools,
    private readonly limits: ToolLimits,
    private readonly listener: ToolCallListener,
    private readonly signal: AbortSignal,
    private readonly secrets: readonly string[] = [],
  ) {
    this.deadline = AbortSignal.timeout(limits.timeLimitMs);
  }

  get stopReason(): string | undefined {
    if (!this.stopped && this.deadline.aborted) this.stopped = this.timeLimitReason();
    return this.stopped;
  }

  /**
   * A sentence for the end of the comment when a bound cut the reading short; undefined when the
   * model read all it wanted.
   */
  get limitNote(): string | undefined {
    return this.stopped
      ? `Issuecast stopped reading ${this.tools.repository} before the model was done: it reached ${this.stopped}. This comment rests only on what was read until then.`
      : undefined;
  }

  async call({ id, name, arguments: rawArguments }: ToolCallRequest): Promise<string> {
    this.signal.throwIfAborted();
    const tool = name.slice(0, MAX_TOOL_NAME_LENGTH) || 'unknown';
    const parsed = parseArguments(tool, rawArguments);
    this.listener.onCall({
      callId: id,
      tool,
      arguments: parsed.ok ? parsed.arguments : {},
      content: parsed.ok ? describeCall(parsed.tool, parsed.arguments) : `Calling ${tool}`,
    });
    const output = parsed.ok ? await this.run(parsed.tool, parsed.arguments) : this.refuse(parsed.error);
    const content = redactSecrets(output.content, this.secrets);
    this.listener.onResult({
      callId: id,
      tool,
      ok: output.ok,
      content: redactSecrets(output.summary, this.secrets),
    });
    return content;
  }

  private async run(tool: RepositoryToolName, args: Record<string, unknown>): Promise<ToolOutput> {
    const stop = this.stopReason;
    if (stop) {
      return failed(
        `Not run: reading stopped at ${stop}`,
        `Not run: you have reached ${stop}. Write the comment now.`,
      );
    }
    this.calls += 1;
    const signal = AbortSignal.any([this.signal, this.deadline]);
    let output: ToolOutput;
    try {
      output = await this.execute(tool, args, signal);
    } catch (error) {
      if (this.signal.aborted) throw this.signal.reason;
      if (!this.deadline.aborted) throw error;
      this.stopped ??= this.timeLimitReason();
      return failed(`Stopped: ${this.stopped} was reached`, `Stopped: you have reached ${this.stopped}.`);
    }
    this.bytes += output.bytes;
    if (output.stopAll) this.stopped ??= output.stopAll;
    if (this.bytes >= this.limits.maxBytes)
      this.stopped ??= `the limit of ${formatBytes(this.limits.maxBytes)} read`;
    if (this.calls >= this.limits.maxCalls)
      this.stopped ??= `the limit of ${this.limits.maxCalls} tool calls`;
    return output;
  }

  private execute(
    tool: RepositoryToolName,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ToolOutput> {
    switch (tool) {
      case 'list_files':
        return this.tools.listFiles(args, signal);
      case 'read_file': {
        const maxBytes = Math.min(MAX_FILE_BYTES, this.limits.maxBytes - this.bytes);
        return this.tools.readFile({ ...(args as RepositoryToolArguments<'read_file'>), maxBytes }, signal);
      }
      case 'search_code':
        return this.tools.searchCode(args as RepositoryToolArguments<'search_code'>, signal);
    }
  }

  /** A call that could not even be understood still counts, so a confused model cannot loop forever. */
  private refuse(error: string): ToolOutput {
    this.calls += 1;
    if (this.calls >= this.limits.maxCalls)
      this.stopped ??= `the limit of ${this.limits.maxCalls} tool calls`;
    return failed(error, `Error: ${error}`);
  }

  private timeLimitReason(): string {
    const { timeLimitMs: ms } = this.limits;
    return `the time limit of ${ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`} for reading`;
  }
}

type ParsedCall =
  { ok: true; tool: RepositoryToolName; arguments: Record<string, unknown> } | { ok: false; error: string };

function parseArguments(tool: string, raw: string): ParsedCall {
  if (!Object.hasOwn(REPOSITORY_TOOL_ARGUMENTS, tool)) {
    return { ok: false, error: `There is no tool named "${tool}"` };
  }
  const name = tool as RepositoryToolName;
  let json: unknown;
  try {
    json = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    return { ok: false, error: `The arguments of ${name} are not valid JSON` };
  }
  const result = REPOSITORY_TOOL_ARGUMENTS[name].safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      ok: false,
      error: `Invalid arguments for ${name}: ${issue.path.join('.') || 'arguments'}: ${issue.message}`,
    };
  }
  return { ok: true, tool: name, arguments: result.data };
}

/** What the timeline shows while a call runs. */
function describeCall(tool: RepositoryToolName, args: Record<string, unknown>): string {
  switch (tool) {
    case 'list_files':
      return typeof args['path'] === 'string' && args['path'].trim()
        ? `Listing the files under ${args['path']}`
        : 'Listing the files';
    case 'read_file':
      return `Reading ${String(args['path'])}`;
    case 'search_code':
      return `Searching the code for "${String(args['query'])}"`;
  }
}

function failed(summary: string, content: string): ToolOutput {
  return { ok: false, summary, content, bytes: 0 };
}

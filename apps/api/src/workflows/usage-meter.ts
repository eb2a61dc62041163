import type { RunUsage } from '@issuecast/workflow-events';
import type { TokenUsage } from '../llm/llm-provider';

/** What a run costs, measured from its start: the model's tokens over every request, and the times. */
export class UsageMeter {
  private readonly startedAt = performance.now();
  private timeToFirstTokenMs?: number;
  private promptTokens = 0;
  private completionTokens = 0;

  constructor(private readonly model: string) {}

  add({ promptTokens, completionTokens }: TokenUsage): void {
    this.promptTokens += promptTokens;
    this.completionTokens += completionTokens;
  }

  /** Marks the first token of the comment; later calls change nothing. */
  firstToken(): void {
    this.timeToFirstTokenMs ??= this.elapsedMs();
  }

  usage(): RunUsage {
    const { model, promptTokens, completionTokens, timeToFirstTokenMs } = this;
    return {
      model,
      promptTokens,
      completionTokens,
      ...(timeToFirstTokenMs !== undefined && { timeToFirstTokenMs }),
      durationMs: this.elapsedMs(),
    };
  }

  private elapsedMs(): number {
    return Math.round(performance.now() - this.startedAt);
  }
}

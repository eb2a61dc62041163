import type { ToolSession } from './tool-session';

/** A comment on an issue, as the prompt shows it. */
export interface IssueComment {
  author?: string;
  /** ISO 8601. */
  createdAt: string;
  body: string;
}

/** The issue a comment is drafted for, pasted or fetched from GitHub. */
export interface IssueToDraft {
  title: string;
  body: string;
  /** `owner/name`, when the issue comes from GitHub. */
  repository?: string;
  number?: number;
  url?: string;
  author?: string;
  labels?: string[];
  /** The most recent comments, oldest first; fetched issues only. */
  comments?: IssueComment[];
  /** How many comments the issue has in all, of which `comments` are the last. */
  commentCount?: number;
}

/** The tokens one request to the model took, as the provider counted them. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface DraftRequest {
  issue: IssueToDraft;
  /** What the user asked this take to do differently: untrusted, like the issue. */
  instructions?: string;
  /** Told the tokens of each request to the model, when the provider reports them. */
  onUsage?: (usage: TokenUsage) => void;
  /** Aborted when the run is cancelled or the server shuts down. */
  signal: AbortSignal;
  /**
   * The repository's tools, given only to a provider whose `supportsTools` is true and only when
   * the run has a repository. The session runs each call, keeps the bounds and reports the calls.
   */
  tools?: ToolSession;
}

/**
 * A language model that drafts a comment on an issue. Implementations stream the text delta by
 * delta; they throw a `RunFailure` (code `llm_failed` or `timeout`) when the model fails, and
 * stop with the signal's reason when it is aborted.
 */
export abstract class LlmProvider {
  /** The model that drafts, as a run's usage names it. */
  abstract readonly model: string;

  /** Whether the model can read the repository through `DraftRequest.tools`. */
  get supportsTools(): boolean {
    return false;
  }

  abstract draftComment(request: DraftRequest): AsyncIterable<string>;
}

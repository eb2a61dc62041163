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
}

export interface DraftRequest {
  issue: IssueToDraft;
  /** Aborted when the run is cancelled or the server shuts down. */
  signal: AbortSignal;
}

/**
 * A language model that drafts a comment on an issue. Implementations stream the text delta by
 * delta; they throw a `RunFailure` (code `llm_failed` or `timeout`) when the model fails, and
 * stop with the signal's reason when it is aborted.
 */
export abstract class LlmProvider {
  abstract draftComment(request: DraftRequest): AsyncIterable<string>;
}

import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { RunFailure } from '../run-failure/run-failure';

/** The failure when the model server sent nothing for `timeoutMs`. */
export function modelTimeoutFailure(timeoutMs: number, cause?: unknown): RunFailure {
  const message = `The model server sent nothing for ${formatDuration(timeoutMs)}. Try again in a moment.`;
  return new RunFailure('timeout', message, true, { cause });
}

/**
 * Turns what the `openai` SDK threw into a failure fit to show a user. The server's own error
 * text stays in `cause` only: it may quote the API key (OpenAI's 401 does, masked) or the prompt.
 */
export function toRunFailure(
  error: unknown,
  model: string,
  timeoutMs: number,
  { toolsOffered = false }: { toolsOffered?: boolean } = {},
): RunFailure {
  if (error instanceof APIConnectionTimeoutError) return modelTimeoutFailure(timeoutMs, error);
  if (error instanceof APIConnectionError) {
    return llmFailed('Could not reach the model server. Try again in a moment.', true, error);
  }
  if (isApiError(error) && error.status !== undefined) {
    return fromStatus(error, error.status, model, toolsOffered);
  }
  if (isApiError(error)) {
    return llmFailed('The model server reported an error while writing the comment.', true, error);
  }
  if (error instanceof SyntaxError) {
    return llmFailed('The model server sent an answer that could not be read.', true, error);
  }
  // What is left is the transport failing mid-answer, e.g. undici's "terminated" when the socket drops.
  return llmFailed(
    'The connection to the model server was lost before the comment was complete. Try again.',
    true,
    error,
  );
}

function fromStatus(error: APIError, status: number, model: string, toolsOffered: boolean): RunFailure {
  const failure = (problem: string, retryable: boolean) =>
    llmFailed(`${problem} (HTTP ${status}).${retryable ? ' Try again in a moment.' : ''}`, retryable, error);

  if (status === 429 && error.code === 'insufficient_quota') {
    return failure('The model account has run out of quota', false);
  }
  if (status === 429) return failure('The model server is rate limiting requests', true);
  if (status >= 500) return failure('The model server failed', true);
  if (status === 401 || status === 403) {
    return failure('The model server refused the configured credentials', false);
  }
  if (status === 404) {
    return failure(
      `The model server found no model "${model}"; check the model name and the server URL`,
      false,
    );
  }
  if (status === 400 && error.code === 'context_length_exceeded') {
    return failure(`The issue is too long for the model "${model}"`, false);
  }
  if (status === 400 && toolsOffered) {
    // What Ollama answers for a model without tool calling, and vLLM without --enable-auto-tool-choice.
    return llmFailed(
      `The model server rejected the request for the model "${model}" (HTTP 400). If this model or server has no tool calling, set OPENAI_TOOLS=false.`,
      false,
      error,
    );
  }
  if (status === 400) return failure(`The model server rejected the request for the model "${model}"`, false);
  // The SDK has already retried 408 and 409; later may still work.
  if (status === 408 || status === 409) return failure('The model server could not answer in time', true);
  return failure('The model server rejected the request', false);
}

function llmFailed(message: string, retryable: boolean, cause: unknown): RunFailure {
  return new RunFailure('llm_failed', message, retryable, { cause });
}

/** `instanceof` alone would type the error's status and body as `any`. */
function isApiError(error: unknown): error is APIError {
  return error instanceof APIError;
}

function formatDuration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} seconds`;
}

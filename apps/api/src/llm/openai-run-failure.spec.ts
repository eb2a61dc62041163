import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { toRunFailure } from './openai-run-failure';

const MODEL = 'test-model';

function apiError(status: number, code?: string): APIError {
  const body = { error: { message: 'Incorrect API key provided: sk-abc***xyz', code } };
  return APIError.generate(status, body, undefined, new Headers());
}

describe(toRunFailure.name, () => {
  it.each([
    [429, undefined, 'llm_failed', true],
    [429, 'insufficient_quota', 'llm_failed', false],
    [500, undefined, 'llm_failed', true],
    [503, undefined, 'llm_failed', true],
    [401, 'invalid_api_key', 'llm_failed', false],
    [403, undefined, 'llm_failed', false],
    [400, undefined, 'llm_failed', false],
    [404, 'model_not_found', 'llm_failed', false],
    [422, undefined, 'llm_failed', false],
  ])(
    'maps HTTP %i (code %s) to %s, retryable %s, naming the status',
    (status, code, expectedCode, retryable) => {
      const failure = toRunFailure(apiError(status, code), MODEL, 1_000);

      expect(failure).toMatchObject({ code: expectedCode, retryable });
      expect(failure.message).toContain(`HTTP ${status}`);
      expect(failure.message).not.toContain('sk-');
    },
  );

  it('names the model when the server rejects or does not know it', () => {
    expect(toRunFailure(apiError(404), MODEL, 1_000).message).toContain(`"${MODEL}"`);
    expect(toRunFailure(apiError(400), MODEL, 1_000).message).toContain(`"${MODEL}"`);
  });

  it('maps a connection timeout to a retryable timeout, and a connection error to a retryable llm_failed', () => {
    const timeout = toRunFailure(new APIConnectionTimeoutError(), MODEL, 60_000);
    expect(timeout).toMatchObject({ code: 'timeout', retryable: true });
    expect(timeout.message).toContain('60 seconds');
    expect(toRunFailure(new APIConnectionError({ message: 'fetch failed' }), MODEL, 1_000)).toMatchObject({
      code: 'llm_failed',
      retryable: true,
    });
  });

  it('keeps what was thrown as the cause, for the logs, but never in the message', () => {
    const cause = new TypeError('terminated at /srv/app/node_modules/undici/index.js:1:1');

    const failure = toRunFailure(cause, MODEL, 1_000);

    expect(failure.cause).toBe(cause);
    expect(failure.message).not.toContain('undici');
    expect(failure).toMatchObject({ code: 'llm_failed', retryable: true });
  });

  it('suggests OPENAI_TOOLS=false when a request that offered tools is refused with 400', () => {
    const failure = toRunFailure(apiError(400), MODEL, 1_000, { toolsOffered: true });

    expect(failure).toMatchObject({ code: 'llm_failed', retryable: false });
    expect(failure.message).toMatch(
      /"test-model" \(HTTP 400\)\. If this model or server has no tool calling, set OPENAI_TOOLS=false\./,
    );
    expect(toRunFailure(apiError(400), MODEL, 1_000).message).not.toContain('OPENAI_TOOLS');
  });
});

import { HttpErrorResponse } from '@angular/common/http';
import { problemDetails } from '../../testing/problem-details';
import { apiErrorMessage } from './api-error-message';

describe(apiErrorMessage.name, () => {
  function failure(status: number, error: unknown): HttpErrorResponse {
    return new HttpErrorResponse({ status, error });
  }

  it("says the problem's detail as a sentence", () => {
    expect(apiErrorMessage(failure(404, problemDetails(404, 'No such run')), 'Failed')).toBe('No such run.');
  });

  it('says every field a 400 names', () => {
    const messages = ['property postToGitHub should not exist', 'repository must look like owner/name'];
    const error = failure(
      400,
      problemDetails(400, messages.join('; '), [
        { field: 'postToGitHub', message: messages[0] },
        { field: 'repository', message: messages[1] },
      ]),
    );
    expect(apiErrorMessage(error, 'Failed')).toBe(
      'Property postToGitHub should not exist. Repository must look like owner/name.',
    );
  });

  it('says the server is out of reach when the request never got an answer', () => {
    expect(apiErrorMessage(failure(0, new ProgressEvent('error')), 'Failed')).toMatch(/could not be reached/);
  });

  it('falls back when the answer carries no message', () => {
    expect(apiErrorMessage(failure(502, '<html>Bad gateway</html>'), 'Could not start the run.')).toBe(
      'Could not start the run.',
    );
    expect(apiErrorMessage(new Error('boom'), 'Could not start the run.')).toBe('Could not start the run.');
  });
});

import { workflowEventsUrl, workflowUrl } from './workflow-urls';

describe(workflowEventsUrl.name, () => {
  it('is the stream below the run, under /api', () => {
    expect(workflowEventsUrl('6f1c2a9e-0d4b-4c55-9a37-1f0e8b2d3c4a')).toBe(
      '/api/workflows/6f1c2a9e-0d4b-4c55-9a37-1f0e8b2d3c4a/events',
    );
  });

  it('keeps an id that is not a UUID inside its own path segment', () => {
    expect(workflowUrl('../auth/me')).toBe('/api/workflows/..%2Fauth%2Fme');
    expect(workflowEventsUrl('a?b')).toBe('/api/workflows/a%3Fb/events');
  });
});

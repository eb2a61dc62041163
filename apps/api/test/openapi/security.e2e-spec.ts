import { operationsOf, useServedDocument } from './served-document';

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  components: { securitySchemes: Record<string, Record<string, string>> };
}

describe('the OpenAPI document', () => {
  const served = useServedDocument<OpenApiDocument>();

  const operations = () =>
    operationsOf(served().paths).map(({ name, operation }) => ({ name, security: operation.security ?? [] }));

  it('describes the bearer token and the session cookie as security schemes', () => {
    expect(served().components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      cookie: { type: 'apiKey', in: 'cookie', name: 'issuecast_session' },
    });
  });

  it('lists both schemes on every operation except health and the sign-in routes, which need none', () => {
    const open = [
      'GET /api/health',
      'GET /api/health/ready',
      'POST /api/auth/login',
      'GET /api/auth/providers',
      'GET /api/auth/oidc/login',
      'GET /api/auth/oidc/callback',
    ];
    const all = operations();

    expect(all.map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        ...open,
        'POST /api/workflows/comment-on-issue',
        'GET /api/workflows',
        'GET /api/workflows/{workflowId}',
        'GET /api/workflows/{workflowId}/events',
        'POST /api/workflows/{workflowId}/cancel',
        'POST /api/auth/logout',
        'GET /api/auth/me',
        'GET /api/metrics',
      ]),
    );
    for (const { name, security } of all) {
      const schemes = security.flatMap((requirement) => Object.keys(requirement)).sort();
      expect({ name, schemes }).toEqual({ name, schemes: open.includes(name) ? [] : ['bearer', 'cookie'] });
    }
  });
});

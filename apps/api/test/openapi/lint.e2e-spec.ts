import { reportOnServedDocument } from './document-tools';

describe('the OpenAPI document, linted by Redocly', () => {
  it('has no problem under the recommended rules, but for those redocly.yaml turns off with a reason', async () => {
    expect(await reportOnServedDocument('lint-openapi.mjs')).toEqual([]);
  });
});

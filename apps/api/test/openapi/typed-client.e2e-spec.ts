import { reportOnServedDocument } from './document-tools';

describe('a client generated from the OpenAPI document', () => {
  it('type-checks a service that calls every operation and narrows events on their wire type', async () => {
    expect(await reportOnServedDocument('typecheck-openapi-client.mjs')).toEqual([]);
  });
});

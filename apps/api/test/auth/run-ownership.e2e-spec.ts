import { randomUUID } from 'node:crypto';
import { PROTECTED, type ProtectedApp, RUN, startProtectedApp } from './protected-app';

/** The routes of one run, as another user would probe them. */
const RUN_ROUTES = PROTECTED.filter(([, route]) => route.path.includes(RUN));

describe('run ownership', () => {
  let app: ProtectedApp;

  beforeAll(async () => (app = await startProtectedApp()));
  afterAll(() => app.close());

  describe("another user's run", () => {
    it.each(RUN_ROUTES)(
      "%s answers bob 404 for alice's run, with the same body as an unknown id",
      async (_name, route) => {
        const unknownId = randomUUID();
        const unknown = await app.send({ ...route, path: route.path.replace(RUN, unknownId) }, {}, 'bob');
        const unknownBody = JSON.stringify(await unknown.json()).replaceAll(unknownId, '<id>');

        const { response, body } = await app.denied(() => app.send(route, {}, 'bob'));

        expect(response.status).toBe(404);
        expect(unknown.status).toBe(404);
        expect(JSON.stringify(body).replaceAll(app.aliceRun, '<id>')).toBe(unknownBody);
        expect(body.message).toBe(`Workflow ${app.aliceRun} was not found`);
      },
    );

    it('lists only the caller’s runs', async () => {
      const bobRun = await app.startRunningRun('bob');

      const alice = await app.runsOf('alice');
      const bob = await app.runsOf('bob');

      expect(alice).toContain(app.aliceRun);
      expect(alice).not.toContain(bobRun);
      expect(bob).toContain(bobRun);
      expect(bob).not.toContain(app.aliceRun);
    });
  });
});

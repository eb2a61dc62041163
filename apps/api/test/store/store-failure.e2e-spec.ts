import { StoredWorkflowEventLog } from '../../src/event-log/stored-workflow-event-log';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SQLITE_FILE } from '../../src/store/sqlite/sqlite-run-store';
import { storeFailureSuite } from './store-failure-suite';

describe(`${StoredWorkflowEventLog.name} when the store refuses a run's events, on the embedded store`, () => {
  storeFailureSuite('embedded', (env) => {
    const db = new DatabaseSync(join(env['DATA_DIR'], SQLITE_FILE));
    return {
      refuseEvents: () =>
        db.exec(
          `CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(FAIL, 'disk full'); END`,
        ),
      acceptEvents: () => db.exec('DROP TRIGGER refuse_events'),
      storedIds: (workflowId) =>
        db
          .prepare('SELECT id FROM events WHERE workflow_id = ? ORDER BY id')
          .all(workflowId)
          .map(({ id }) => Number(id)),
      close: () => db.close(),
    };
  });
});

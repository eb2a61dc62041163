import { StoredWorkflowEventLog } from '../../src/event-log/stored-workflow-event-log';
import { Client } from 'pg';
import { describeWithServer } from './postgres-test-database';
import { storeFailureSuite } from './store-failure-suite';

describeWithServer(
  `${StoredWorkflowEventLog.name} when the store refuses a run's events, on PostgreSQL`,
  () => {
    storeFailureSuite('postgres', async (env) => {
      const db = new Client({ connectionString: env['DATABASE_URL'] });
      await db.connect();
      return {
        refuseEvents: async () => {
          await db.query(
            `CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS
             $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
           CREATE TRIGGER refuse_events BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_events();`,
          );
        },
        acceptEvents: async () => {
          await db.query('DROP TRIGGER refuse_events ON events; DROP FUNCTION refuse_events();');
        },
        storedIds: async (workflowId) => {
          const { rows } = await db.query<{ id: string }>(
            'SELECT id FROM events WHERE workflow_id = $1 ORDER BY id',
            [workflowId],
          );
          return rows.map(({ id }) => Number(id));
        },
        close: () => db.end(),
      };
    });
  },
);

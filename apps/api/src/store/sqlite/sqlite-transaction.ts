import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` in a write transaction of `db`: all of it or none. Taken at once (`IMMEDIATE`) so
 * that two connections queue rather than deadlock.
 */
export function inWriteTransaction(db: DatabaseSync, work: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    work();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

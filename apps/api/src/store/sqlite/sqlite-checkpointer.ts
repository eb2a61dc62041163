import { Logger } from '@nestjs/common';
import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the write-ahead log into the database file. */
const CHECKPOINT_INTERVAL_MS = 100;

/** SQLite's own default, restored when the checkpointer stops working. */
const AUTOCHECKPOINT_PAGES = 1_000;

// Inline, so that the bundled build needs no second file. PASSIVE never waits for the writer;
// the writer starts the log over once a checkpoint has copied all of it.
const CHECKPOINTER_SOURCE = `
const { DatabaseSync } = require('node:sqlite');
const { parentPort, workerData } = require('node:worker_threads');
const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA busy_timeout = 1000');
const timer = setInterval(() => db.exec('PRAGMA wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints the embedded store's write-ahead log on a thread of its own. SQLite otherwise
 * checkpoints inside the commit that crosses 1,000 pages, on the event loop, where the copy and
 * its fsyncs (tens of ms on a busy disk) hold every stream. If the thread fails, the connection
 * checkpoints itself again, as SQLite does by default.
 */
export class SqliteCheckpointer {
  private static readonly logger = new Logger(SqliteCheckpointer.name);

  private constructor(private readonly worker: Worker) {}

  /** Takes checkpoints of `db`, the connection on `file`, off its thread. */
  static start(db: DatabaseSync, file: string): SqliteCheckpointer {
    db.exec('PRAGMA wal_autocheckpoint = 0');
    const worker = new Worker(CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS },
    });
    worker.unref();
    worker.on('error', (error) => {
      SqliteCheckpointer.logger.error(
        `Checkpointing ${file} failed, the store does it itself: ${String(error)}`,
      );
      if (db.isOpen) db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    });
    return new SqliteCheckpointer(worker);
  }

  /** Closes the thread's connection, so that the store's own close, the last, checkpoints what is left. */
  async stop(): Promise<void> {
    if (this.worker.threadId === -1) return; // it has exited already
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // Held until it exits: else a process with nothing else to do would end before the store closes.
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }
}

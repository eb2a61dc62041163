import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRunStore } from '../../src/store/sqlite/sqlite-run-store';
import { describeRunStoreContract } from './run-store-contract';

describeRunStoreContract('The embedded SQLite store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'issuecast-store-'));
  return Promise.resolve({
    open: () => Promise.resolve(SqliteRunStore.open(dataDir)),
    destroy: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
  });
});

import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * This run's process logs, profiles and API build snapshot: a directory of its own under
 * $TMPDIR/issuecast-bench/, so that benches running side by side never share a file.
 */
export const LOG_DIR = (() => {
  const parent = join(tmpdir(), 'issuecast-bench');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, 'run-'));
})();

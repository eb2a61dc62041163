// npm run bench:drafter [-- --no-build]
//
// The offline drafter over issue text built to make a backtracking pattern try every start and every
// split, side by side with ordinary prose of the same size, in one run of the production build: for
// each body, the longest any other request to the server waited while that run was drafted. A
// drafter that blocks the event loop makes every stream and request wait that long.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { freePort } from './processes/free-port.ts';
import { API_BUILD, snapshotApiBuild, startApi } from './targets/api-target.ts';
import { embeddedStore } from './targets/store-mode.ts';
import type { Target } from './targets/target.ts';

/** The longest body the API accepts. */
const MAX_BODY = 65_536;
const fill = (unit: string, head = '', length = MAX_BODY): string =>
  head + unit.repeat((length - head.length) / unit.length);

const BODIES: [string, string][] = [
  ['ordinary prose (the baseline)', fill('The editor crashes when I save a draft. ')],
  ['one repeated letter', fill('a')],
  ['one repeated space', fill(' ')],
  // JSON doubles a newline; the request body has to stay under its limit (128 kB).
  ['one repeated newline', fill('\n', '', 60_000)],
  ['a version-like prefix and letters', fill('a', '1.2-')],
  ['a version-like prefix, letters and a digit', `${fill('a', '1.2-', MAX_BODY - 2)}_1`],
  ['a version-like prefix and dots', fill('.', '1.2')],
  ['unclosed link brackets', fill('[')],
  ['a link text never followed by its target', fill('a', '[')],
  ['unclosed images', fill('![')],
  ['unclosed HTML tags', fill('<')],
  ['a numbered-list item without a second one', fill(' ', '1. x\n')],
  ['a heading of hashes', `${fill('#', '# ', MAX_BODY - 1)}x`],
  ['fences that never close', fill('```\n')],
  ['an unclosed fence with spaces', fill(' ', '```')],
  ['indented lines that look like a stack trace', fill(' ', 'at x\n')],
];

const { values: options } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false } } });
if (!options['no-build']) {
  console.log('Building the API (nx run api:build)…');
  const root = new URL('../../', import.meta.url).pathname;
  execFileSync('npx', ['nx', 'run', 'api:build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
console.log(`Drafting offline with the build in ${API_BUILD}`);

const api = await startApi(
  snapshotApiBuild(),
  await freePort(),
  {
    heartbeatMs: 15_000,
    retentionMs: 600_000,
    modelUrl: 'http://127.0.0.1:9/v1',
    cpuList: undefined,
    profileDir: undefined,
    env: { LLM_PROVIDER: 'offline', OFFLINE_LLM_DELAY_MS: '0' },
  },
  embeddedStore,
);
try {
  await longestWaitWhileDrafting(api, BODIES[0][1]); // warms the server up
  const rows: { body: string; longestWaitMs: number }[] = [];
  for (const [name, body] of BODIES) {
    const longestWaitMs = await longestWaitWhileDrafting(api, body);
    rows.push({ body: name, longestWaitMs });
    console.log(`${name.padEnd(48)} ${longestWaitMs.toFixed(1).padStart(9)} ms`);
  }
  const [baseline, ...adversarial] = rows;
  const worst = adversarial.reduce((a, b) => (b.longestWaitMs > a.longestWaitMs ? b : a));
  console.log(
    `\nLongest wait: ${worst.longestWaitMs.toFixed(1)} ms (${worst.body}); ordinary prose: ${baseline.longestWaitMs.toFixed(1)} ms`,
  );
} finally {
  await api.stop();
}

/** Starts a pasted-issue run of `body` and probes the server back to back until the run has ended. */
async function longestWaitWhileDrafting(target: Target, body: string): Promise<number> {
  let done = false;
  const run = target
    .request<{ workflowId: string }>('POST', target.paths.start, { issue: { title: 'It breaks', body } }, 202)
    .then(({ workflowId }) => target.finished(workflowId))
    .finally(() => (done = true));
  let longest = 0;
  while (!done) {
    const sentAt = performance.now();
    // A stall longer than the server's keep-alive timeout resets the pooled connection: the wait counts all the same.
    await target.request('GET', '/api/health', undefined, 200).catch(() => undefined);
    longest = Math.max(longest, performance.now() - sentAt);
  }
  await run;
  return longest;
}

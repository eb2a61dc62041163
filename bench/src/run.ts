// npm run bench [-- --case <name>[,<name>…]] [--store memory[,sqlite][,postgres][,shared][,shared-across][,shared-split]] [--variant <label>:<NAME>=<value>[,…]] [--quick] [--no-build] [--profile] [--workers <n>] [--no-pin]
//
// Runs each case (cases/registry.ts) against the production build of the API once per store mode
// (in memory, the embedded file, PostgreSQL when DATABASE_URL is set, the shared mode with REDIS_URL too) and against the raw node:http
// baseline (servers/raw-sse-server.ts), all fed by the same fake model and driven by the same load
// generator, interleaved, and prints and saves a table of the figures and their ratios.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CaseContext } from './cases/bench-case.ts';
import { CASES } from './cases/registry.ts';
import { LoadGenerator } from './load/load-generator.ts';
import { listeningPort, spawnProcess } from './processes/bench-process.ts';
import { freePort } from './processes/free-port.ts';
import { LOG_DIR } from './processes/log-dir.ts';
import { describeMachine } from './processes/machine.ts';
import { type CaseRecord, loadLine, saveResults, table } from './report.ts';
import { API_BUILD, snapshotApiBuild, startApi } from './targets/api-target.ts';
import { startRaw } from './targets/raw-target.ts';
import { parseVariant, storeModes, variantOf } from './targets/store-mode.ts';
import type { Target } from './targets/target.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const FAKE_MODEL = new URL('./servers/fake-model.ts', import.meta.url).pathname;

const { values: options } = parseArgs({
  options: {
    case: { type: 'string', multiple: true },
    store: { type: 'string', multiple: true },
    variant: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const wanted = options.case?.flatMap((names) => names.split(','));
const cases = wanted ? CASES.filter((c) => wanted.includes(c.name)) : CASES;
if (wanted && cases.length !== wanted.length) {
  console.error(`Unknown case in ${wanted.join(', ')}; the cases are ${CASES.map((c) => c.name).join(', ')}`);
  process.exit(2);
}

const log = (message: string): void => console.log(message);
const startedAt = new Date();
const machine = describeMachine();
log(
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}`,
);
log(`Load average at start: ${machine.loadAverageAtStart.join(' ')}; process logs in ${LOG_DIR}`);

if (!options['no-build']) {
  log('Building the API (nx run api:build)…');
  execFileSync('npx', ['nx', 'run', 'api:build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
} else if (!existsSync(API_BUILD)) {
  console.error('dist/apps/api/main.js is missing: run without --no-build');
  process.exit(2);
}

// The server under test gets the last core to itself; the load generator and the fake model share
// the others, so that they do not take turns with it on the same core.
const pin = !options['no-pin'] && machine.cores >= 2;
const serverCpus = pin ? String(machine.cores - 1) : undefined;
const loadCpus = pin ? `0-${machine.cores - 2}` : undefined;
const apiMain = snapshotApiBuild();
const model = await spawnProcess(process.execPath, [FAKE_MODEL], { name: 'fake-model', cpuList: loadCpus });
const modelOrigin = `http://127.0.0.1:${listeningPort(model.firstMessage)}`;
const generator = await LoadGenerator.start(Number(options.workers), loadCpus);
if (pin)
  log(
    `Servers on CPU ${serverCpus}; load generator and fake model on CPU ${loadCpus} (--no-pin to turn off)`,
  );
const profileDir = options.profile ? `${LOG_DIR}/profiles` : undefined;
const wantedStores = options.store?.flatMap((names) => names.split(','));
const baseModes = storeModes().filter((mode) => !wantedStores || wantedStores.includes(mode.name));
if (baseModes[0]?.name !== 'memory') {
  console.error(
    `--store needs memory, the reference, first among ${storeModes()
      .map((m) => m.name)
      .join(', ')}`,
  );
  process.exit(2);
}
const variants = (options.variant ?? []).map(parseVariant);
// Each variant right after its mode, so that the two are measured next to each other.
const modes = baseModes.flatMap((mode) => [
  mode,
  ...variants.map(({ label, env }) => variantOf(mode, label, env)),
]);
for (const { label, env } of variants)
  log(
    `Variant +${label}: ${Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`,
  );
log(
  `API store modes: ${modes.map((mode) => mode.name).join(', ')} (postgres when DATABASE_URL is set; shared, shared-across and shared-split with REDIS_URL too)`,
);

const results: CaseRecord[] = [];
try {
  for (const benchCase of cases) {
    const params = benchCase.params(options.quick);
    log(`\n== ${benchCase.name} ${JSON.stringify(params)}`);
    const caseProfileDir = profileDir && `${profileDir}/${benchCase.name}`;
    const settings = { modelUrl: `${modelOrigin}/v1`, cpuList: serverCpus, ...benchCase.env };
    const targets: Target[] = [];
    try {
      for (const mode of modes) {
        const profile = { profileDir: caseProfileDir && `${caseProfileDir}/${mode.name}` };
        targets.push(await startApi(apiMain, await freePort(), { ...settings, ...profile }, mode));
      }
      targets.push(await startRaw({ ...settings, profileDir: caseProfileDir && `${caseProfileDir}/raw` }));
      const modelCpu0 = model.cpuSeconds();
      const generatorCpu0 = await generator.cpuSeconds();
      const caseStartedAt = performance.now();
      const ctx: CaseContext = {
        targets,
        model: { release, cpuSeconds: () => model.cpuSeconds() },
        generator,
        machine,
        log,
      };
      const result = await benchCase.run(ctx, params);
      const load = {
        seconds: (performance.now() - caseStartedAt) / 1000,
        generatorCpuSeconds: (await generator.cpuSeconds()) - generatorCpu0,
        modelCpuSeconds: model.cpuSeconds() - modelCpu0,
      };
      results.push({ case: benchCase.name, params, env: benchCase.env, ...result, load });
      log(table(results.slice(-1)));
      log(`Load generator: ${loadLine(load)}`);
    } finally {
      await Promise.all(targets.map((target) => target.stop()));
    }
  }
} finally {
  await generator.stop();
  await model.stop();
}

if (profileDir) log(`\nCPU profiles (open in Chrome DevTools or speedscope): ${profileDir}`);
log('\n== Results');
log(table(results));
const saved = saveResults(results, { startedAt, machine, quick: options.quick, everyCase: !wanted });
log(`\nSaved ${saved.join(' and ')}`);

async function release(keys: string[], spreadMs = 0): Promise<void> {
  const response = await fetch(`${modelOrigin}/release`, {
    method: 'POST',
    body: JSON.stringify({ keys, spreadMs }),
  });
  await response.arrayBuffer();
}

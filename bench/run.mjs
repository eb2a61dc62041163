// npm run bench [-- --case <name>[,<name>…]] [--quick] [--no-build] [--profile] [--workers <n>] [--no-pin]
//
// Runs each case of issue 6 against the production build of the API and against the raw node:http
// baseline (raw-sse-server.mjs), both fed by the same fake model and driven by the same load
// generator, interleaved, and prints and saves a table of both figures and their ratio.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { CASES } from './cases.mjs';
import { LoadGenerator } from './load-generator.mjs';
import { describeMachine, LOG_DIR, spawnProcess } from './processes.mjs';
import { snapshotApiBuild, startApi, startRaw } from './targets.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const RESULTS = new URL('./results/', import.meta.url).pathname;

const { values: options } = parseArgs({
  options: {
    case: { type: 'string', multiple: true },
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

const log = (message) => console.log(message);
const startedAt = new Date();
const machine = describeMachine();
log(
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}`,
);
log(`Load average at start: ${machine.loadAverageAtStart.join(' ')}; process logs in ${LOG_DIR}`);

if (!options['no-build']) {
  log('Building the API (nx run api:build)…');
  execFileSync('npx', ['nx', 'run', 'api:build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
} else if (!existsSync(`${ROOT}dist/apps/api/main.js`)) {
  console.error('dist/apps/api/main.js is missing: run without --no-build');
  process.exit(2);
}

// The server under test gets the last core to itself; the load generator and the fake model share
// the others, so that they do not take turns with it on the same core.
const pin = !options['no-pin'] && machine.cores >= 2;
const serverCpus = pin ? String(machine.cores - 1) : undefined;
const loadCpus = pin ? `0-${machine.cores - 2}` : undefined;
const apiMain = snapshotApiBuild();
const model = await spawnProcess(process.execPath, [new URL('./fake-model.mjs', import.meta.url).pathname], {
  name: 'fake-model',
  cpuList: loadCpus,
});
const modelOrigin = `http://127.0.0.1:${model.firstMessage.listening}`;
const modelUrl = `${modelOrigin}/v1`;
const generator = await LoadGenerator.start(Number(options.workers), loadCpus);
if (pin)
  log(
    `Servers on CPU ${serverCpus}; load generator and fake model on CPU ${loadCpus} (--no-pin to turn off)`,
  );
const profileDir = options.profile
  ? `${LOG_DIR}/profiles-${startedAt.toISOString().replace(/[:.]/g, '-')}`
  : undefined;

const results = [];
try {
  for (const benchCase of cases) {
    const params = benchCase.params(options.quick);
    log(`\n== ${benchCase.name} ${JSON.stringify(params)}`);
    const settings = { modelUrl, main: apiMain, cpuList: serverCpus, ...benchCase.env };
    const caseProfileDir = profileDir && `${profileDir}/${benchCase.name}`;
    const api = await startApi({
      ...settings,
      port: await freePort(),
      profileDir: caseProfileDir && `${caseProfileDir}/api`,
    });
    const raw = await startRaw({
      ...settings,
      port: 0,
      profileDir: caseProfileDir && `${caseProfileDir}/raw`,
    });
    const modelCpu0 = model.cpuSeconds();
    const generatorCpu0 = await generator.cpuSeconds();
    const caseStartedAt = performance.now();
    try {
      const ctx = {
        targets: { api, raw },
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
      printTable(results.slice(-1));
      log(`Load generator: ${loadLine(load)}`);
    } finally {
      await Promise.all([api.stop(), raw.stop()]);
    }
  }
} finally {
  await generator.stop();
  await model.stop();
}

if (profileDir) log(`\nCPU profiles (open in Chrome DevTools or speedscope): ${profileDir}`);
log('\n== Results');
printTable(results);
save(results);

async function release(keys, spreadMs = 0) {
  const response = await fetch(`${modelOrigin}/release`, {
    method: 'POST',
    body: JSON.stringify({ keys, spreadMs }),
  });
  await response.arrayBuffer();
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function table(caseResults) {
  const lines = [
    '| case | metric | API | raw | API/raw | target | met |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const result of caseResults) {
    for (const r of result.rows) {
      const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
      lines.push(
        `| ${result.case} | ${r.metric} | ${num(r.api)} | ${num(r.raw)} | ${ratio(r.ratio)} | ${r.target} | ${met} |`,
      );
    }
  }
  return lines.join('\n');
}

function printTable(caseResults) {
  log(table(caseResults));
}

function save(caseResults) {
  mkdirSync(RESULTS, { recursive: true });
  const finishedAt = new Date();
  const stamp = finishedAt.toISOString().replace(/:/g, '-').replace(/\..*/, '');
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const machineAtEnd = { ...machine, loadAverageAtEnd: loadavg().map((n) => Math.round(n * 100) / 100) };
  const document = {
    startedAt,
    finishedAt,
    command,
    quick: options.quick,
    machine: machineAtEnd,
    results: caseResults,
  };
  const file = `${RESULTS}${stamp}${options.quick ? '-quick' : ''}.json`;
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  const markdown = [
    `# Benchmark results, ${finishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${options.quick ? ' (quick run)' : ''}`,
    '',
    `\`${command}\` on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}; ` +
      `open-file limit ${machine.fdHardLimit} per process; load average ${machine.loadAverageAtStart.join(' ')} at start, ` +
      `${machineAtEnd.loadAverageAtEnd.join(' ')} at end. Raw data: \`${file.slice(ROOT.length)}\`.`,
    '',
    table(caseResults),
    '',
    ...caseResults.map((r) => `- **${r.case}**: ${r.summary}. Load generator: ${loadLine(r.load)}.`),
    '',
  ].join('\n');
  // Only a full run of every case is the latest result; a quick or partial one keeps its JSON only.
  if (!options.quick && !wanted) writeFileSync(`${RESULTS}latest.md`, markdown);
  log(`\nSaved ${file.slice(ROOT.length)}${!options.quick && !wanted ? ' and bench/results/latest.md' : ''}`);
}

function loadLine({ seconds, generatorCpuSeconds, modelCpuSeconds }) {
  return (
    `${generatorCpuSeconds.toFixed(1)} CPU s in ${seconds.toFixed(0)} s ` +
    `(${(generatorCpuSeconds / seconds).toFixed(2)} cores on average), fake model ${modelCpuSeconds.toFixed(1)} CPU s`
  );
}

function num(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

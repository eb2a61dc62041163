// The results: the table printed after each case and at the end, and what is saved in bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { CaseResult } from './cases/bench-case.ts';
import { RAW, REFERENCE, type ServerSettings } from './targets/target.ts';
import { loadAverage, type Machine } from './processes/machine.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const RESULTS = new URL('../results/', import.meta.url).pathname;

export interface LoadUse {
  seconds: number;
  generatorCpuSeconds: number;
  modelCpuSeconds: number;
}

export interface CaseRecord extends CaseResult {
  case: string;
  params: unknown;
  env: ServerSettings;
  load: LoadUse;
}

/** The columns of a table: the API per store mode, the in-memory reference first, then raw; each variant after its mode. */
const COLUMN_ORDER: readonly string[] = [
  'memory',
  'sqlite',
  'postgres',
  'shared',
  'shared-across',
  'shared-split',
  'raw',
];

const modeOf = (name: string): string => name.split('+')[0];

/**
 * Every target's figure; beside each store, its ratio to the in-memory API (the reference); beside
 * raw, the in-memory API's ratio to it, as before the store modes.
 */
export function table(caseResults: readonly CaseRecord[]): string {
  const present = new Set(caseResults.flatMap((r) => r.rows.flatMap((row) => Object.keys(row.values))));
  const names = [...present].sort(
    (a, b) =>
      COLUMN_ORDER.indexOf(modeOf(a)) - COLUMN_ORDER.indexOf(modeOf(b)) ||
      Number(a !== modeOf(a)) - Number(b !== modeOf(b)),
  );
  // A variant's ratio is to its own mode without it: what the setting changed.
  const base = (name: string) => (name === modeOf(name) ? REFERENCE : modeOf(name));
  const heading = names.flatMap((name) => {
    if (name === REFERENCE) return [name];
    return name === RAW ? [name, `${REFERENCE}/${RAW}`] : [name, `${name}/${base(name)}`];
  });
  const lines = [
    `| case | metric | ${heading.join(' | ')} | target | met |`,
    `| --- | --- | ${heading.map(() => '---:').join(' | ')} | --- | --- |`,
  ];
  for (const result of caseResults) {
    for (const r of result.rows) {
      const cells = names.flatMap((name) => {
        const value = r.values[name] ?? NaN;
        if (name === REFERENCE) return [num(value)];
        const reference = r.values[REFERENCE] ?? NaN;
        return [num(value), ratio(name === RAW ? reference / value : value / (r.values[base(name)] ?? NaN))];
      });
      lines.push(`| ${result.case} | ${r.metric} | ${cells.join(' | ')} | ${r.target} | ${metCell(r.met)} |`);
    }
  }
  return lines.join('\n');
}

/** `yes` when every API judged meets the target, else which do not. */
function metCell(met: Record<string, boolean> | undefined): string {
  if (!met) return '';
  const missed = Object.keys(met).filter((name) => !met[name]);
  return missed.length === 0 ? 'yes' : `**no**: ${missed.join(', ')}`;
}

export function loadLine({ seconds, generatorCpuSeconds, modelCpuSeconds }: LoadUse): string {
  return (
    `${generatorCpuSeconds.toFixed(1)} CPU s in ${seconds.toFixed(0)} s ` +
    `(${(generatorCpuSeconds / seconds).toFixed(2)} cores on average), fake model ${modelCpuSeconds.toFixed(1)} CPU s`
  );
}

/**
 * Saves every sample in `results/<time>[-quick].json` (git-ignored); a full run of every case is also
 * the latest result, `results/latest.json` and `results/latest.md`, the ones committed. Answers what it wrote.
 */
export function saveResults(
  caseResults: readonly CaseRecord[],
  run: { startedAt: Date; machine: Machine; quick: boolean; everyCase: boolean },
): string[] {
  const { startedAt, machine, quick, everyCase } = run;
  mkdirSync(RESULTS, { recursive: true });
  const finishedAt = new Date();
  const stamp = finishedAt.toISOString().replace(/:/g, '-').replace(/\..*/, '');
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const machineAtEnd = { ...machine, loadAverageAtEnd: loadAverage() };
  const document = `${JSON.stringify({ startedAt, finishedAt, command, quick, machine: machineAtEnd, results: caseResults }, null, 2)}\n`;
  const latest = !quick && everyCase;
  const file = `${RESULTS}${stamp}${quick ? '-quick' : ''}.json`;
  writeFileSync(file, document);
  const written = [file];
  if (latest) {
    const markdown = [
      `# Benchmark results, ${finishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `\`${command}\` on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}; ` +
        `open-file limit ${machine.fdHardLimit} per process; load average ${machine.loadAverageAtStart.join(' ')} at start, ` +
        `${machineAtEnd.loadAverageAtEnd.join(' ')} at end. Raw data: \`bench/results/latest.json\`.`,
      '',
      table(caseResults),
      '',
      ...caseResults.map((r) => `- **${r.case}**: ${r.summary}. Load generator: ${loadLine(r.load)}.`),
      '',
    ].join('\n');
    writeFileSync(`${RESULTS}latest.json`, document);
    writeFileSync(`${RESULTS}latest.md`, markdown);
    written.push(`${RESULTS}latest.json`, `${RESULTS}latest.md`);
  }
  return written.map((path) => path.slice(ROOT.length));
}

function num(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

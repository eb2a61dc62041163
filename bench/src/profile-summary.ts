// node bench/src/profile-summary.ts <file.cpuprofile> [top]
// The functions with the most self time in a --cpu-prof profile, and self time per package, to see
// where a server spends its CPU without opening DevTools.
import { readFileSync } from 'node:fs';

const [file, top = '30'] = process.argv.slice(2);
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

if (!file) {
  console.error('usage: node bench/src/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id);
  if (!node) continue;
  const { callFrame } = node;
  const where = callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|bench)\//, '$1/');
  const key = `${callFrame.functionName || '(anonymous)'}  ${where}:${callFrame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  const pkg =
    /node_modules\/((@[^/]+\/)?[^/]+)/.exec(callFrame.url)?.[1] ??
    (callFrame.url.startsWith('node:') ? 'node core' : callFrame.url ? 'app' : callFrame.functionName);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
}
const print = (title: string, map: Map<string, number>, n: number): void => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print('Self time by package', byPackage, 15);
print('Self time by function', byFunction, Number(top));

// `npm start`: builds what is out of date with Nx, then runs the production server as this
// process's child and hands it SIGTERM and SIGINT. Nx would run the server in a process group of
// its own, out of reach of a supervisor's signal to npm.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nxPackage = createRequire(join(root, 'package.json')).resolve('nx/package.json');
const nx = join(dirname(nxPackage), createRequire(nxPackage)('./package.json').bin.nx);

const build = spawnSync(process.execPath, [nx, 'run-many', '-t', 'build', '-p', 'api', 'web'], {
  cwd: root,
  stdio: 'inherit',
  env: { NX_DAEMON: 'false', NX_TUI: 'false', ...process.env },
});
if (build.status !== 0) process.exit(build.status ?? 1);

const server = spawn(process.execPath, [join(root, 'dist', 'apps', 'api', 'main.js')], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) =>
  process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)),
);

// The README's quick start, literally: `npm start` with an empty environment (only PORT), the demo
// user, a pasted issue streamed to `complete`; then SIGTERM to npm itself must end the server, an
// open stream getting its run's terminal `interrupted` event.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const base = `http://127.0.0.1:${port}`;
const npm = spawn('npm', ['start'], {
  env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const deadline = setTimeout(() => fail('the quick start took longer than 10 minutes'), 600_000);

function fail(message) {
  console.error(`quick start: ${message}`);
  npm.kill('SIGKILL');
  process.exit(1);
}

async function waitForHealth() {
  for (;;) {
    if (npm.exitCode !== null) fail(`npm start exited with ${npm.exitCode}`);
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Reads the run's SSE stream until `stop(event)` or its end; the events seen. */
async function stream(eventsUrl, authorization, stop = () => false) {
  const response = await fetch(`${base}${eventsUrl}`, { headers: { authorization } });
  if (response.status !== 200) fail(`the stream answered ${response.status}`);
  const events = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer
        .slice(0, end)
        .split('\n')
        .find((line) => line.startsWith('data: '));
      buffer = buffer.slice(end + 2);
      if (!data) continue;
      events.push(JSON.parse(data.slice(6)));
      if (stop(events.at(-1))) return events;
    }
  }
  return events;
}

async function startRun(authorization, title) {
  const response = await fetch(`${base}/api/workflows/comment-on-issue`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ issue: { title, body: 'Steps to reproduce: run npm start on a fresh clone.' } }),
  });
  if (response.status !== 202) fail(`starting a run answered ${response.status}`);
  return (await response.json()).eventsUrl;
}

await waitForHealth();
const login = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'demo', password: 'demo' }),
});
if (login.status !== 200) fail(`signing in as demo answered ${login.status}`);
const authorization = `Bearer ${(await login.json()).token}`;

const completed = await stream(await startRun(authorization, 'The quick start'), authorization);
if (completed.at(-1)?.type !== 'complete') fail(`the run ended with ${JSON.stringify(completed.at(-1))}`);
console.log(`quick start: a pasted issue streamed ${completed.length} events to complete`);

const eventsUrl = await startRun(authorization, 'Cut off by a stop');
let signalled = false;
const exited = new Promise((resolve) => npm.once('exit', resolve));
const cut = await stream(eventsUrl, authorization, (event) => {
  if (!signalled && event.type === 'llm_response') {
    signalled = true;
    npm.kill('SIGTERM');
  }
  return false;
});
const last = cut.at(-1);
if (last?.type !== 'error' || last.data.code !== 'interrupted')
  fail(`the open stream ended with ${JSON.stringify(last)}`);
const stopped = await Promise.race([
  exited.then(() => true),
  new Promise((r) => setTimeout(() => r(false), 10_000)),
]);
if (!stopped) fail('npm start was still running 10 s after SIGTERM');
const stillServing = await fetch(`${base}/api/health`).then(
  () => true,
  () => false,
);
if (stillServing) fail('the server still answers after SIGTERM to npm start');
clearTimeout(deadline);
console.log('quick start: SIGTERM to npm ended the server; the open stream got interrupted');

// Lints an OpenAPI document with Redocly's recommended rules and the exceptions in redocly.yaml;
// prints the problems as JSON and exits 1 when there are any. Usage: node tools/lint-openapi.mjs <document.json>
import { lint, loadConfig } from '@redocly/openapi-core';
import { fileURLToPath } from 'node:url';

const [documentPath] = process.argv.slice(2);
const config = await loadConfig({ configPath: fileURLToPath(new URL('../redocly.yaml', import.meta.url)) });
const problems = await lint({ ref: documentPath, config });
const found = problems.map(({ ruleId, severity, message, location }) => ({
  ruleId,
  severity,
  message,
  at: location.map(({ pointer }) => pointer),
}));
process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
process.exitCode = found.length > 0 ? 1 : 0;

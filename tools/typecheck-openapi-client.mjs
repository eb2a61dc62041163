// Generates TypeScript types from an OpenAPI document with openapi-typescript, as a consumer would, and
// type-checks tools/openapi-client/every-operation.ts (an openapi-fetch client calling every operation)
// against them. Prints the compiler's errors as JSON and exits 1 when there are any.
// Usage: node tools/typecheck-openapi-client.mjs <document.json>
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const [documentPath] = process.argv.slice(2);
const consumer = fileURLToPath(new URL('openapi-client/every-operation.ts', import.meta.url));
const folder = await mkdtemp(join(tmpdir(), 'issuecast-client-'));
try {
  const schema = join(folder, 'issuecast-openapi.d.ts');
  await writeFile(schema, astToString(await openapiTS(JSON.parse(await readFile(documentPath, 'utf8')))));
  const program = ts.createProgram([consumer], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    paths: { 'issuecast-openapi': [schema] },
  });
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => ({
    at: diagnostic.file
      ? `${diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : undefined,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  }));
  process.stdout.write(`${JSON.stringify(errors, null, 2)}\n`);
  process.exitCode = errors.length > 0 ? 1 : 0;
} finally {
  await rm(folder, { recursive: true, force: true });
}

// Validates a SARIF log against the vendored OASIS SARIF 2.1.0 schema
// (test/fixtures/sarif/, JSON Schema draft-04). Unit and integration tests
// share it, so the schema is found from the repository root, not from this
// file's place under dist/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

const SCHEMA_PATH = ['test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'];

/** The schema errors of `log`, one readable line each; [] when it is valid SARIF 2.1.0. */
export function validateSarif(log: unknown): string[] {
  const validate = validator();
  if (validate(log)) return [];
  return (validate.errors ?? []).map(describe);
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(path.join(repoRoot(), ...SCHEMA_PATH), 'utf8')) as object;
  // strict: false because the schema is OASIS's, not ours: valid draft-04,
  // but it requires properties defined outside the `anyOf` branch that
  // requires them, which ajv's strict mode rejects (strictRequired).
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
  addFormats.default(ajv, ['uri', 'uri-reference', 'date-time']);
  compiled = ajv.compile(schema);
  return compiled;
}

/** The nearest directory above this module that holds package.json. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

function describe(error: ErrorObject): string {
  const at = error.instancePath || '/';
  const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  return `${at} ${error.message ?? error.keyword}${extra}`;
}

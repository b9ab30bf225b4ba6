// ajv set up once: JSON Schema validation with the formats (date) that the
// configuration uses, and our `x-expected` annotation keyword.
// Both are loaded on the first configuration file (lazy-module.ts).
import type { ValidateFunction } from 'ajv';
import { lazyModule } from '../lazy-module.js';

const ajvLib = lazyModule<typeof import('ajv')>('ajv');
const ajvFormats = lazyModule<typeof import('ajv-formats')>('ajv-formats');

export function compileSchema(schema: object): ValidateFunction {
  const ajv = new (ajvLib().Ajv)({ allErrors: true, verbose: true, strict: true, strictRequired: false });
  ajv.addVocabulary(['x-expected', 'x-unknown-key']);
  ajvFormats().default(ajv, ['date']);
  return ajv.compile(schema);
}

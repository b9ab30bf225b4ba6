// ajv set up once: JSON Schema validation with the formats (date) that the
// configuration uses, and our `x-expected` annotation keyword.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export function compileSchema(schema: object): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });
  ajv.addVocabulary(['x-expected', 'x-unknown-key']);
  addFormats.default(ajv, ['date']);
  return ajv.compile(schema);
}

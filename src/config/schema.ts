// The configuration file's format as a JSON Schema, validated with ajv. Each
// leaf carries `x-expected`: what to tell the user when a value is wrong.
import type { SchemaObject } from 'ajv';
import { SEVERITIES } from '../policies/engine.js';
import { POLICY_REF, PORT_REF } from './selectors.js';
import { optionType, type OptionSpecs, type PolicyOption } from '../policies/options.js';

export const ACTIONS = ['fail', 'warn', 'off'] as const;
export const INHERITED_MODES = ['fail', 'warn', 'off'] as const;


const policyRef = {
  type: 'string',
  pattern: POLICY_REF.source,
  'x-expected': 'a policy ID such as SQ40104 or a range such as SQ40103-SQ40108',
};

const severity = { enum: SEVERITIES, 'x-expected': `a severity: ${SEVERITIES.join(', ')}` };

/** The schema for a catalog with these policy IDs (unknown IDs under `policies:` are errors) and options. */
export function configSchema(policyIds: string[], optionSpecs: OptionSpecs = {}): SchemaObject {
  const settingOf = (id: string) => {
    const options = optionSpecs[id];
    const names = Object.keys(options ?? {});
    return {
      type: ['object', 'null'],
      additionalProperties: false,
      'x-expected': `a mapping with action and/or severity${names.length ? ' and/or options' : ''}`,
      properties: {
        action: { enum: ACTIONS, 'x-expected': `an action: ${ACTIONS.join(', ')}` },
        severity,
        ...(options
          ? {
              options: {
                type: ['object', 'null'],
                additionalProperties: false,
                'x-expected': `options of ${id}: ${names.join(', ')}`,
                properties: Object.fromEntries(names.map((n) => [n, optionSchema(options[n]!)])),
              },
            }
          : {}),
      },
    };
  };
  return {
    type: ['object', 'null'],
    additionalProperties: false,
    'x-expected': 'a mapping with failOn, inherited, policies, exceptions, vulnerabilities and hook',
    properties: {
      version: { const: 1, 'x-expected': 'version 1 (the only format so far)' },
      failOn: { ...severity, 'x-expected': `the severity from which findings fail: ${SEVERITIES.join(', ')}` },
      inherited: {
        enum: INHERITED_MODES,
        'x-expected': `how base-image findings count: ${INHERITED_MODES.join(', ')}`,
      },
      policies: {
        type: ['object', 'null'],
        additionalProperties: false,
        'x-expected': 'a mapping from policy ID to { action, severity }',
        'x-unknown-key': 'policy ID',
        properties: Object.fromEntries(policyIds.map((id) => [id, settingOf(id)])),
      },
      exceptions: {
        type: ['array', 'null'],
        'x-expected': 'a list of exceptions (each with policy and reason)',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['policy', 'reason'],
          'x-expected': 'an exception: a mapping with policy, image, path or port, advisory, package, reason, expires',
          not: { required: ['path', 'port'], 'x-expected': 'either path (file findings) or port (port findings), not both' },
          properties: {
            policy: {
              anyOf: [policyRef, { type: 'array', minItems: 1, items: policyRef }],
              'x-expected': 'a policy ID (SQ40104), a list of IDs, or a range (SQ40103-SQ40108)',
            },
            image: { type: 'string', minLength: 1, 'x-expected': 'a glob on repo:tag (myorg/*:1.*) or an image ID' },
            path: { type: 'string', pattern: '^/', 'x-expected': 'an absolute path glob such as /usr/bin/*' },
            port: {
              anyOf: [
                { type: 'integer', minimum: 1, maximum: 65535 },
                { type: 'string', pattern: PORT_REF.source },
              ],
              'x-expected': 'a port such as 22, 22/tcp or 20-21/tcp',
            },
            advisory: {
              type: 'string',
              pattern: '^\\S+$',
              'x-expected': 'an advisory ID or alias such as CVE-2024-3094 or GHSA-xxxx-xxxx-xxxx',
            },
            package: {
              type: 'string',
              pattern: '^\\S+$',
              'x-expected': 'a package name (a glob such as libssl*) or a purl prefix such as pkg:npm/lodash',
            },
            reason: { type: 'string', minLength: 1, pattern: '\\S', 'x-expected': 'a reason: why this finding is accepted' },
            expires: { type: 'string', format: 'date', 'x-expected': 'a date as YYYY-MM-DD' },
          },
        },
      },
      vulnerabilities: {
        type: ['object', 'null'],
        additionalProperties: false,
        'x-expected': 'a mapping with enabled and/or db',
        properties: {
          enabled: { type: 'boolean', 'x-expected': 'true or false: whether every check matches packages against known vulnerabilities (as --vulns)' },
          db: { type: 'string', minLength: 1, 'x-expected': 'a directory or zip of OSV advisories (as --vuln-db)' },
        },
      },
      hook: {
        type: ['object', 'null'],
        additionalProperties: false,
        'x-expected': 'a mapping with budgetSeconds and/or showClean',
        properties: {
          budgetSeconds: {
            type: 'number',
            exclusiveMinimum: 0,
            maximum: 600,
            'x-expected': 'the seconds the post-build hook may take: a number above 0, at most 600',
          },
          showClean: { type: 'boolean', 'x-expected': 'true or false: whether the hook prints a line for an image with no findings' },
        },
      },
    },
  };
}

function optionSchema(spec: PolicyOption): SchemaObject {
  const type = optionType(spec);
  const words = `${spec.description.replace(/\.$/, '')} (${spec.choices ? `one of ${spec.choices.join(', ')}` : type === 'string list' ? 'a list of strings' : `${type === 'integer' ? 'an' : 'a'} ${type}`}${
    spec.min !== undefined ? `, at least ${spec.min}` : ''
  }${spec.max !== undefined ? `, at most ${spec.max}` : ''})`;
  if (type === 'string list') return { type: 'array', items: { type: 'string' }, 'x-expected': words };
  const schema: SchemaObject = spec.choices ? { enum: spec.choices, 'x-expected': words } : { type, 'x-expected': words };
  if (spec.min !== undefined) schema.minimum = spec.min;
  if (spec.max !== undefined) schema.maximum = spec.max;
  return schema;
}

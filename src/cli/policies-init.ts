// `policies init`: writes the commented starter configuration. Never
// overwrites a file unless asked (--force); `-o -` prints it instead.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_FILE } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { loadCatalog } from '../policies/catalog.js';
import { COMMAND } from '../plugin/metadata.js';
import { toolVersion } from '../version.js';
import { UsageError } from './usage-error.js';

export interface InitArgs {
  output?: string;
  force: boolean;
}

export function runPoliciesInit(args: InitArgs): number {
  const text = starterConfig(loadCatalog(), COMMAND, toolVersion());
  if (args.output === '-') {
    process.stdout.write(text);
    return 0;
  }
  const target = resolve(process.cwd(), args.output ?? PROJECT_FILE);
  try {
    // 'wx' fails when the file exists: a user's edited configuration is never lost.
    writeFileSync(target, text, { flag: args.force ? 'w' : 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${args.output ?? PROJECT_FILE} already exists; edit it, or pass --force to replace it`);
    throw new UsageError(`cannot write ${args.output ?? PROJECT_FILE}: ${code ?? String(err)}`);
  }
  process.stderr.write(`wrote ${args.output ?? PROJECT_FILE}: ${COMMAND} check now reads it from this directory\n`);
  return 0;
}

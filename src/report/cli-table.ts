// cli-table3, required rather than imported: importing a CommonJS package
// makes Node scan its source for export names at every start-up (see
// daemon-context.ts for dockerode).
import { createRequire } from 'node:module';
import type CliTable3 from 'cli-table3';

export const Table = createRequire(import.meta.url)('cli-table3') as typeof CliTable3;
export type Table = InstanceType<typeof CliTable3>;

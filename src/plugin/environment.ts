// The only two things the plugin layer reads from the process: environment
// variables and the home directory. Functions take them as inputs so tests
// (and callers) decide what they are; `processInputs()` gives the real ones.
import { homedir } from 'node:os';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ProcessInputs {
  env: Env;
  homeDir: string;
}

export function processInputs(): ProcessInputs {
  return { env: process.env, homeDir: homedir() };
}

/** Docker treats an environment variable as set when it is non-empty. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

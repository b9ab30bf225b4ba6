// A mistake in a configuration file: `FILE:LINE:COL: what is wrong; expected …`.
// Exit code 2, like every other reason the check could not run.
export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    problem: string,
  ) {
    super(`${file}:${line}:${col}: ${problem}`);
    this.name = 'ConfigError';
  }
}

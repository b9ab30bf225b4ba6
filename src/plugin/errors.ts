// The one error type of the plugin protocol layer: a usage or set-up mistake
// (conflicting global options, unknown context, bad host). The message is one
// line that names the thing and the fix; main maps it to exit code 2.

export class PluginError extends Error {
  /** "The check could not run" in the DESIGN's exit-code contract. */
  readonly exitCode = 2;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PluginError';
  }
}

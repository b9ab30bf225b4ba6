// Where and how the CLI writes: the report to stdout, progress and errors to
// stderr; colour only on a terminal and never with NO_COLOR.
export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && process.env.TERM !== 'dumb';
}

export function terminalWidth(stream: NodeJS.WriteStream): number {
  return stream.isTTY && stream.columns ? stream.columns : 120;
}

/** Progress on stderr, only when stderr is a terminal (ora is loaded only then). */
export interface Progress {
  update(text: string): void;
  /**
   * A byte counter's listener showing `line(size)` (called once a MiB at
   * most: it runs per chunk of an export), or undefined when nothing is shown.
   */
  bytes(line: (size: string) => string): ((n: number) => void) | undefined;
  stop(): void;
}

export async function startProgress(text: string): Promise<Progress> {
  if (!process.stderr.isTTY || process.env.CI) return { update: () => {}, bytes: () => undefined, stop: () => {} };
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: process.stderr, color: 'cyan' }).start();
  return {
    update: (t) => {
      spinner.text = t;
    },
    bytes: (line) => {
      let shown = -Infinity;
      return (n) => {
        if (n - shown < 1024 * 1024) return;
        shown = n;
        spinner.text = line(formatBytes(n));
      };
    },
    stop: () => spinner.stop(),
  };
}

export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(0)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

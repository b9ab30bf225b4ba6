// SQ41103: the effective CMD is in shell form. The config stores both forms
// as arrays; shell form is `[...Shell, "command line"]`. An explicit
// `CMD ["/bin/sh", "-c", "…"]` looks the same and behaves the same at runtime
// (the shell is PID 1 and does not forward signals), so it fires too.
import { configLocation, describeStep, isWindows, stepThatSet } from '../history.js';
import type { Rule } from '../rule.js';

const LINUX_SHELL = ['/bin/sh', '-c'];
const WINDOWS_SHELL = ['cmd', '/S', '/C'];

function startsWith(cmd: readonly string[], shell: readonly string[]): boolean {
  return cmd.length === shell.length + 1 && shell.every((part, i) => cmd[i] === part);
}

/** An exec-form rewrite of a simple command line (no quotes, variables or shell operators). */
export function execFormOf(commandLine: string): string | undefined {
  if (/["'`$\\|&;<>(){}*?~#\n]/.test(commandLine)) return undefined;
  const words = commandLine.trim().split(/\s+/).filter(Boolean);
  return words.length ? `CMD ${JSON.stringify(words).replace(/","/g, '", "')}` : undefined;
}

export const shellFormCmd: Rule = {
  ids: ['SQ41103'],
  needs: {},
  evaluate(facts) {
    const cmd = facts.config.Cmd ?? [];
    const defaultShell = isWindows(facts) ? WINDOWS_SHELL : LINUX_SHELL;
    const configured = facts.config.Shell?.length ? facts.config.Shell : defaultShell;
    const shell = [configured, defaultShell].find((s) => startsWith(cmd, s));
    if (!shell) return [];

    const commandLine = cmd[cmd.length - 1] ?? '';
    const step = stepThatSet(facts, 'Cmd');
    const by = step ? ` (${step.inherited ? 'base-image ' : ''}${describeStep(step)})` : '';
    const rewrite = execFormOf(commandLine);
    return [
      {
        policy: 'SQ41103',
        message:
          `CMD runs through a shell${by}: ${shell.join(' ')} ${JSON.stringify(commandLine)}; ` +
          (facts.config.Entrypoint?.length
            ? 'the ENTRYPOINT receives the shell and its command line as arguments'
            : 'the shell becomes PID 1 and does not pass on stop signals') +
          (rewrite ? `. Use the exec form: ${rewrite}` : '. Use the exec form, CMD ["program", "arg", …]'),
        location: configLocation('Config.Cmd', step),
        inherited: step?.inherited ?? false,
      },
    ];
  },
};

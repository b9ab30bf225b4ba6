// Recovers the Dockerfile instruction from a history step's `created_by`, for
// both builders:
//   classic:  `/bin/sh -c #(nop)  CMD ["a" "b"]`, `/bin/sh -c #(nop) COPY file:<h> in rel/`,
//             `/bin/sh -c apt-get install …`, `|2 A=1 B=2 /bin/sh -c …`
//   BuildKit: `CMD ["a" "b"]`, `COPY a rel/ # buildkit`, `RUN /bin/sh -c … # buildkit`
import type { Instruction, InstructionForm } from './facts.js';

const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

// `|N NAME=value … ` precedes the shell when build args were in scope; values may hold spaces.
// The shell may be a custom SHELL: `/bin/bash -o pipefail -c`, `pwsh -Command`.
const SHELL_INVOCATION = String.raw`(?:(?:\/\S*\/)?(?:sh|bash|dash|ash|zsh|ksh|mksh)(?: -o \S+| -[a-zA-Z]+)*? -c|cmd \/S \/C|(?:powershell|pwsh)(?:\.exe)?(?: -\S+)*? -[Cc]ommand)`;
const CLASSIC_RUN = new RegExp(String.raw`^(?:\|\d+ .*?)?${SHELL_INVOCATION} `);
const CLASSIC_ARGS = new RegExp(String.raw`^\|\d+ .*?(?=${SHELL_INVOCATION} )`);
const NOP = new RegExp(String.raw`^${SHELL_INVOCATION} #\(nop\)\s+`);
const LEADING_SHELL = new RegExp(String.raw`^${SHELL_INVOCATION} `);
const BUILDKIT_SUFFIX = / # buildkit$/;

export function parseCreatedBy(createdBy: string): Instruction | null {
  const text = createdBy.trim();
  if (text === '') return null;

  const nop = NOP.exec(text);
  if (nop) return fromKeywordLine(text.slice(nop[0].length), 'classic');

  // BuildKit writes the instruction itself (` # buildkit` only after RUN/COPY/ADD).
  const body = text.replace(BUILDKIT_SUFFIX, '');
  const keyword = /^([A-Z]+)(?:\s|$)/.exec(body)?.[1];
  if (keyword && KEYWORDS.has(keyword)) return fromKeywordLine(body, 'buildkit');

  // Classic RUN: the command itself, possibly prefixed by `|N ARG=v …`.
  if (CLASSIC_RUN.test(text)) {
    const shellCommand = text.replace(CLASSIC_ARGS, '');
    return {
      keyword: 'RUN',
      args: shellCommand,
      form: 'shell',
      builder: 'classic',
      display: `RUN ${stripShell(shellCommand)}`,
    };
  }
  return null;
}

function fromKeywordLine(line: string, builder: Instruction['builder']): Instruction {
  const m = /^([A-Za-z]+)\s*(.*)$/s.exec(line.trim());
  const keyword = (m?.[1] ?? line).toUpperCase();
  const args = (m?.[2] ?? '').trim();
  let form: InstructionForm = 'none';
  let argv: string[] | undefined;
  if (keyword === 'CMD' || keyword === 'ENTRYPOINT' || keyword === 'RUN' || keyword === 'SHELL') {
    const runArgs = keyword === 'RUN' ? args.replace(/^\|\d+ (?:\S+=\S* )*/, '') : args;
    argv = parseArgvList(runArgs);
    form = argv ? 'exec' : 'shell';
  }
  const instruction: Instruction = { keyword, args, form, builder, display: displayOf(keyword, args, argv) };
  if (argv) instruction.argv = argv;
  return instruction;
}

function displayOf(keyword: string, args: string, argv: string[] | undefined): string {
  if (argv) return `${keyword} ${JSON.stringify(argv).replace(/","/g, '", "')}`;
  if (keyword === 'RUN') return `RUN ${stripShell(args.replace(/^\|\d+ (?:\S+=\S* )*/, ''))}`;
  if (keyword === 'EXPOSE') return `EXPOSE ${exposedPortsOf(args).join(' ')}`;
  return args ? `${keyword} ${args}` : keyword;
}

function stripShell(command: string): string {
  return command.replace(LEADING_SHELL, '');
}

/**
 * Parses the argument vector the builders record for exec-form instructions:
 * Go's `%q` of a string slice (`["a" "b c"]`) or JSON (`["a","b c"]`).
 * Returns undefined when the text is not such a list.
 */
export function parseArgvList(text: string): string[] | undefined {
  const s = text.trim();
  if (!s.startsWith('[') || !s.endsWith(']')) return undefined;
  const out: string[] = [];
  let i = 1;
  const end = s.length - 1;
  while (i < end) {
    const c = s[i];
    if (c === ' ' || c === ',' || c === '\t') { i++; continue; }
    if (c !== '"') return undefined;
    let j = i + 1;
    let raw = '';
    while (j < end && s[j] !== '"') {
      if (s[j] === '\\' && j + 1 < end) {
        raw += s[j] + s[j + 1];
        j += 2;
      } else {
        raw += s[j];
        j++;
      }
    }
    if (j >= end) return undefined;
    out.push(unquoteGo(raw));
    i = j + 1;
  }
  return out;
}

// Go's strconv.Quote escapes are JSON's plus \x, \a, \v and \U; map those first.
function unquoteGo(raw: string): string {
  const jsonSafe = raw
    .replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => `\\u00${h}`)
    .replace(/\\a/g, '\\u0007')
    .replace(/\\v/g, '\\u000b')
    .replace(/\\U([0-9a-fA-F]{8})/g, (_m, h: string) => {
      const cp = String.fromCodePoint(parseInt(h, 16));
      return JSON.stringify(cp).slice(1, -1);
    });
  try {
    return JSON.parse(`"${jsonSafe}"`) as string;
  } catch {
    return raw;
  }
}

/**
 * The ports an EXPOSE step recorded: classic and BuildKit write either
 * `22/tcp 80/tcp` or Go's map syntax `map[22/tcp:{} 80/tcp:{}]`.
 */
export function exposedPortsOf(args: string): string[] {
  const inner = /^map\[(.*)\]$/s.exec(args.trim())?.[1];
  if (inner !== undefined) return inner.split(/\s+/).filter(Boolean).map((p) => p.replace(/:\{\}$/, ''));
  return args.split(/\s+/).filter(Boolean);
}

/**
 * The destination of a COPY or ADD step: classic records `[flags] <kind>:<hash> in <dest>`,
 * BuildKit `[flags] <src…> <dest>` (last non-flag token). Quoted JSON form is read too.
 */
export function copyDestination(instruction: Instruction): string | undefined {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return undefined;
  const args = instruction.args.trim();
  const classic = / in (\S.*?)\s*$/.exec(args);
  if (instruction.builder === 'classic' && classic) return classic[1];
  const list = parseArgvList(args.replace(/^(?:--\S+\s+)*/, ''));
  if (list && list.length >= 2) return list[list.length - 1];
  const tokens = args.split(/\s+/).filter((t) => t && !t.startsWith('--'));
  return tokens.length >= 2 ? tokens[tokens.length - 1] : undefined;
}

/** The sources of a COPY or ADD step (BuildKit only records them; classic records a content hash). */
export function copySources(instruction: Instruction): string[] {
  const args = instruction.args.trim();
  if (instruction.builder === 'classic') {
    const m = /^(?:--\S+\s+)*(\S+) in /.exec(args);
    return m ? [m[1]] : [];
  }
  const list = parseArgvList(args.replace(/^(?:--\S+\s+)*/, ''));
  if (list) return list.slice(0, -1);
  const tokens = args.split(/\s+/).filter((t) => t && !t.startsWith('--'));
  return tokens.slice(0, -1);
}

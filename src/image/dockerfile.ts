// Reads a Dockerfile's stages with the maintained `dockerfile-ast` parser
// (parser directives such as `# escape=`, continuations, comments inside them,
// heredocs) and resolves the chain of instructions that built a target stage,
// enough to line them up with an image's history.
import type { From, Instruction } from 'dockerfile-ast';
import { lazyModule } from '../lazy-module.js';

const dockerfileAst = lazyModule<typeof import('dockerfile-ast')>('dockerfile-ast');

export interface DockerfileInstruction {
  /** Upper-case keyword: RUN, COPY, … (ONBUILD for a trigger). */
  keyword: string;
  /**
   * The arguments as the builder reads them: flags (`--mount=…`, `--from=…`)
   * left out, continuation lines joined, comment and empty lines inside them
   * dropped. Heredoc bodies are kept as written.
   */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
  /** 1-based line where it ends (= line for a one-line instruction). */
  endLine: number;
  /** The flag names given (`from`, `chown`, `mount`, …). */
  flags: string[];
  /** The argument vector when the arguments are a JSON array of strings (exec form). */
  json?: string[];
  /** The positional arguments (flags left out), split as the builder splits them. */
  words: string[];
  /** ENV, LABEL and ARG: the names set, in order. */
  keys?: string[];
  /** True when the instruction has a heredoc (`<<EOF`). */
  heredoc: boolean;
}

export interface DockerfileStage {
  /** What the stage is built FROM: an image reference, or an earlier stage's name or index. */
  from: string;
  /** The stage's `AS name`, as written. */
  name?: string;
  /** 1-based line of the stage's FROM. */
  line: number;
  instructions: DockerfileInstruction[];
}

/** Every stage of the Dockerfile, in order. Instructions before the first FROM (global ARGs) belong to none. */
export function parseDockerfile(text: string): DockerfileStage[] {
  const dockerfile = dockerfileAst().DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const stages: DockerfileStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction instanceof dockerfileAst().From) {
      stages.push(stageOf(instruction));
      continue;
    }
    stages.at(-1)?.instructions.push(instructionOf(instruction, escape));
  }
  return stages;
}

/**
 * The instructions that built a stage (by default the last), as one stage:
 * when it is built FROM an earlier stage (by name or index), that stage's
 * instructions are part of the image's history too, so they come first,
 * recursively. `from` is then the root stage's base image.
 * Undefined when there is no such stage.
 */
export function resolveStage(stages: DockerfileStage[], target?: string | number): DockerfileStage | undefined {
  const index = target === undefined ? stages.length - 1 : stageIndex(stages, target, stages.length);
  if (index === undefined || index < 0) return undefined;
  return chainOf(stages, index);
}

function chainOf(stages: DockerfileStage[], index: number): DockerfileStage {
  const stage = stages[index];
  const parent = stageIndex(stages, stage.from, index);
  if (parent === undefined) return { ...stage, instructions: [...stage.instructions] };
  const inherited = chainOf(stages, parent);
  return { ...stage, from: inherited.from, instructions: [...inherited.instructions, ...stage.instructions] };
}

/** The index of the stage named `ref` (case-insensitive, as the builders read names) or numbered `ref`, before `before`. */
function stageIndex(stages: DockerfileStage[], ref: string | number, before: number): number | undefined {
  if (typeof ref === 'number' || /^\d+$/.test(ref)) {
    const n = Number(ref);
    return n < before ? n : undefined;
  }
  const name = ref.toLowerCase();
  for (let i = before - 1; i >= 0; i--) if (stages[i].name?.toLowerCase() === name) return i;
  return undefined;
}

function stageOf(from: From): DockerfileStage {
  const stage: DockerfileStage = { from: from.getImage() ?? '', line: from.getRange().start.line + 1, instructions: [] };
  const name = from.getBuildStage();
  if (name) stage.name = name;
  return stage;
}

function instructionOf(instruction: Instruction, escape: string): DockerfileInstruction {
  const range = instruction.getRange();
  const raw = instruction.getRawArgumentsContent() ?? '';
  // The parser's heredoc API covers RUN and COPY only; ADD takes heredocs too.
  const heredoc = /<<-?\s*["']?[A-Za-z_]/.test(raw.split(/\r?\n/, 1)[0]);
  const args = heredoc ? raw : joinContinuations(raw, escape);
  const result: DockerfileInstruction = {
    keyword: instruction.getKeyword(),
    args,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    flags: instruction instanceof dockerfileAst().ModifiableInstruction ? instruction.getFlags().map((f) => f.getName()) : [],
    words: instruction.getArguments().map((a) => a.getValue()),
    heredoc,
  };
  const json = instruction instanceof dockerfileAst().JSONInstruction ? jsonArray(args) : undefined;
  if (json) result.json = json;
  if (instruction instanceof dockerfileAst().PropertyInstruction) result.keys = instruction.getProperties().map((p) => p.getName());
  return result;
}

/**
 * Joins continuation lines the way the builders do: the escape character at
 * the end of a line is removed and the next line follows; comment lines and
 * empty lines inside the continuation are dropped.
 */
function joinContinuations(raw: string, escape: string): string {
  const lines = raw.split(/\r?\n/);
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i > 0 && /^\s*(#|$)/.test(line)) continue;
    const trimmed = line.replace(/\s+$/, '');
    out += i < lines.length - 1 && trimmed.endsWith(escape) ? trimmed.slice(0, -1) : line;
  }
  return out.trim();
}

/** The builders' exec-form test: the arguments parse as a JSON array of strings. */
function jsonArray(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  } catch {
    return undefined;
  }
}

// Reads a Dockerfile's final stage: its instructions with their line
// numbers, enough to line them up with the image's history. Handles line
// continuations (and the `# escape=` directive), comments and heredocs.
export interface DockerfileInstruction {
  keyword: string;
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface DockerfileStage {
  from: string;
  instructions: DockerfileInstruction[];
}

export function parseDockerfile(text: string): DockerfileStage[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  const directive = /^#\s*escape\s*=\s*([\\`])\s*$/i;
  for (const l of lines) {
    if (!l.startsWith('#')) break;
    const m = directive.exec(l);
    if (m) escape = m[1];
  }
  const stages: DockerfileStage[] = [];
  let i = 0;
  while (i < lines.length) {
    const startLine = i + 1;
    let logical = '';
    let heredocs: string[] = [];
    for (;;) {
      const raw = lines[i] ?? '';
      i++;
      if (logical === '' && /^\s*(#|$)/.test(raw)) break;
      if (logical !== '' && i <= lines.length && /^\s*(#|$)/.test(raw)) continue; // comment or empty line inside a continuation
      const trimmedEnd = raw.replace(/\s+$/, '');
      if (trimmedEnd.endsWith(escape) && i < lines.length) {
        logical += trimmedEnd.slice(0, -1) + ' ';
        continue;
      }
      logical += raw;
      heredocs = [...logical.matchAll(/<<-?["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g)].map((m) => m[1]);
      break;
    }
    // Skip heredoc bodies.
    for (const word of heredocs) {
      while (i < lines.length && lines[i].trim() !== word) i++;
      i++;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(logical);
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    const args = m[2].trim();
    if (keyword === 'FROM') {
      stages.push({ from: args, instructions: [] });
      continue;
    }
    if (stages.length === 0) continue; // ARG before the first FROM
    stages[stages.length - 1].instructions.push({ keyword, args, line: startLine });
  }
  return stages;
}

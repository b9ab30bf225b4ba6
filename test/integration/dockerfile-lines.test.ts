// --dockerfile on the real fixture images, both builders: every finding tied
// to one of the image's own steps carries the line of the Dockerfile
// instruction that made it (found here by reading the Dockerfile, not by the
// matcher), inherited ones carry none, and a Dockerfile the image was not
// built from says so and gives no line at all.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import type { Finding } from '../../src/policies/engine.js';
import type { DockerfileLine } from '../../src/image/facts.js';
import { checkJson, integrationTest } from './cli.js';

const test = integrationTest('dockerfile-lines');

const dockerfilePath = (name: string) => fileURLToPath(new URL(`../../../scripts/fixtures/${name}/Dockerfile`, import.meta.url));

// Each has own instruction findings: ADD (SQ41102), EXPOSE (port policies),
// relative COPY (SQ41106), duplicate CMD/ENTRYPOINT (SQ41104/5), a multi-line
// RUN that makes setuid files (SQ40102), COPY --from in a final stage.
const FIXTURES = ['add-files', 'ports-remote', 'copy-relative', 'child-dupes', 'base-with-cmd', 'multistage'];
const BUILDERS = ['classic', 'buildkit'];

interface Written {
  line: number;
  endLine: number;
  text: string;
}

/**
 * The Dockerfile's instructions as written: start and end line, continuation
 * lines joined, variables set by ENV replaced (the builder records COPY
 * destinations expanded).
 */
function instructionsOf(text: string): Written[] {
  const lines = text.split('\n');
  const out: Written[] = [];
  const env = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(#|$)/.test(lines[i])) continue;
    const start = i;
    let joined = lines[i];
    while (/\\\s*$/.test(lines[i]) && i + 1 < lines.length) joined = joined.replace(/\\\s*$/, ' ') + lines[++i];
    const written = joined.replace(/\s+/g, ' ').trim().replace(/\$\{?(\w+)\}?/g, (v, name: string) => env.get(name) ?? v);
    if (written.startsWith('ENV ')) for (const [, name, value] of written.matchAll(/ (\w+)=(\S*)/g)) env.set(name, value);
    out.push({ line: start + 1, endLine: i + 1, text: written });
  }
  return out;
}

/**
 * The Dockerfile instruction a history step's display came from: the only one
 * with its keyword, or else the one with the same destination (COPY/ADD) or
 * the same argument list (CMD/ENTRYPOINT).
 */
function writtenFor(instructions: Written[], display: string): Written | undefined {
  const keyword = display.split(' ')[0];
  const same = instructions.filter((w) => w.text.split(' ')[0].toUpperCase() === keyword);
  if (same.length <= 1) return same[0];
  if (keyword === 'COPY' || keyword === 'ADD') {
    const dest = display.split(' ').at(-1);
    return only(same.filter((w) => w.text.split(' ').at(-1) === dest));
  }
  if (keyword === 'CMD' || keyword === 'ENTRYPOINT') {
    const argv = execForm(display.slice(keyword.length + 1));
    return only(same.filter((w) => argv !== undefined && execForm(w.text.slice(keyword.length + 1)) === argv));
  }
  return undefined;
}

/** The exec-form argument list, normalised, or undefined for shell form. */
function execForm(args: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(args));
  } catch {
    return undefined;
  }
}

function only<T>(list: T[]): T | undefined {
  return list.length === 1 ? list[0] : undefined;
}

function historyIndexOf(f: Finding): number | undefined {
  return f.location.kind === 'history' ? f.location.index : f.location.historyIndex;
}

function stepDisplay(f: Finding): string | undefined {
  return f.location.instruction;
}

function dockerfileOf(f: Finding): DockerfileLine | undefined {
  return (f.location as { dockerfile?: DockerfileLine }).dockerfile;
}

function checkLines(t: ExecutionContext, findings: Finding[], ownFrom: number, path: string): number {
  const instructions = instructionsOf(readFileSync(path, 'utf8'));
  let checked = 0;
  for (const f of findings) {
    const index = historyIndexOf(f);
    const at = dockerfileOf(f);
    const what = `${f.policy} ${f.message}`;
    if (index === undefined || index < ownFrom) {
      t.is(at, undefined, `${what}: not an own step, so no Dockerfile line`);
      continue;
    }
    const display = stepDisplay(f) ?? '';
    const written = writtenFor(instructions, display);
    if (!written) {
      t.fail(`${what}: cannot tell which Dockerfile instruction made step ${index} (${display})`);
      continue;
    }
    t.deepEqual(
      at,
      { path, line: written.line, ...(written.endLine > written.line ? { endLine: written.endLine } : {}) },
      `${what}: step ${index} (${display}) is "${written.text}"`,
    );
    checked++;
  }
  return checked;
}

for (const name of FIXTURES) {
  for (const builder of BUILDERS) {
    test(`${name}:${builder}: each own instruction finding has its Dockerfile line`, async (t) => {
      const path = dockerfilePath(name);
      const { run, report } = await checkJson([`dsp-fixture/${name}:${builder}`, '--dockerfile', path]);
      t.not(run.code, 2, run.stderr);
      const [r] = report.results;
      t.is(r.error, undefined);
      t.is(r.baseBoundary?.source, 'dockerfile');
      const checked = checkLines(t, [...r.findings, ...r.suppressed], r.baseBoundary?.ownFrom ?? 0, path);
      t.true(checked > 0, 'some finding was checked');
      t.like(r.dockerfile, { path, matched: true });
    });
  }
}

for (const builder of BUILDERS) {
  test(`copy-relative:${builder} with another fixture's Dockerfile: not matched, no line, the boundary from elsewhere`, async (t) => {
    const path = dockerfilePath('ports-remote');
    const { run, report } = await checkJson([`dsp-fixture/copy-relative:${builder}`, '--dockerfile', path]);
    t.not(run.code, 2, run.stderr);
    const [r] = report.results;
    t.not(r.baseBoundary?.source, 'dockerfile');
    t.is(r.baseBoundary?.source, 'local-image', 'dsp-fixture/busybox:base is a local strict prefix');
    const withLines = [...r.findings, ...r.suppressed].filter((f) => dockerfileOf(f) !== undefined);
    t.deepEqual(withLines.map((f) => f.policy), [], 'never a guessed line');
    t.is(r.dockerfile?.matched, false);
    t.is(r.dockerfile?.path, path);
    t.regex(r.dockerfile?.reason ?? '', /^line 9 CMD does not match step \d+ \(CMD \["\/bin\/cat", "\/srv\/app.txt"\]\)$/);
  });
}

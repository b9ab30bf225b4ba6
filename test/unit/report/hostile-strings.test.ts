// Every string an image controls (name, labels, env, paths, history, user,
// ports, errors), filled with terminal escapes, invisible and reordering
// characters and broken UTF-16, through every output: the terminal ones
// (table, summary, hook answer, audit table) show them escaped, JSON and
// SARIF carry the exact value (escaped as JSON), secrets are masked in all.
import test from 'ava';
import type { ImageResult } from '../../../src/cli/check-image.js';
import { hookAnswer } from '../../../src/cli/build-hook.js';
import type { Finding } from '../../../src/policies/engine.js';
import { judge } from '../../../src/policies/engine.js';
import { loadCatalog } from '../../../src/policies/catalog.js';
import { allRules } from '../../../src/policies/rules/index.js';
import { hookSummaryLines } from '../../../src/report/hook-summary.js';
import { renderJson } from '../../../src/report/json.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { renderImagesAudit } from '../../../src/report/audit-images.js';
import { renderTable } from '../../../src/report/table.js';
import { printable, shorten } from '../../../src/report/terminal-text.js';
import { makeFacts } from '../helpers/facts.js';
import { validateSarif } from '../helpers/sarif-schema.js';

const catalog = loadCatalog();

export const HOSTILE: Record<string, string> = {
  'CSI colour': 'red\u001b[31mRED\u001b[0m',
  'OSC 8 hyperlink': '\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\',
  'OSC 52 clipboard': '\u001b]52;c;cm0gLXJmIH4K\u0007',
  'cursor movement': 'a\u001b[2A\u001b[10D\u001b[Kb',
  'clear screen': '\u001b[2J\u001b[H\u001bc',
  'C1 CSI': 'x\u009b31my\u009d0;t\u009c',
  BEL: 'ding\u0007',
  backspace: 'good\b\b\b\bevil',
  'carriage return': 'safe\rEVIL',
  'bidi override': 'invoice\u202efdp.exe',
  'bidi isolates': '\u2066a\u2067b\u2068c\u2069\u200e\u200f\u061c',
  'zero-width': 'ad\u200bmin\u200c\u200d\u2060\ufeff',
  'line separators': 'one\u2028two\u2029three\u0085',
  'latin1 of invalid UTF-8': Buffer.from([0x9b, 0x33, 0x31, 0x6d, 0xff, 0xc3, 0x28]).toString('latin1'),
  'lone surrogates': 'a\ud800b\udfffc\ud83d',
  'U+FFFD from invalid UTF-8': Buffer.from([0xc3, 0x28, 0xe2, 0x82]).toString('utf8'),
  'template action': '{{.Name}} {{- printf "%s" "x" -}}',
  'very long': '\u001b[31m' + 'A'.repeat(3_000) + '\u202e' + 'B'.repeat(3_000),
};

// What must not reach a terminal (tab and newline aside), and lone surrogates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

function unsafeIn(text: string): string | undefined {
  const m = UNSAFE.exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16)} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 20), m.index + 20))}` : undefined;
}

/** A result whose every image-made field holds `h`. */
function hostileResult(h: string): ImageResult {
  const base: Omit<Finding, 'policy' | 'location' | 'message'> = { title: 't', severity: 'high', action: 'fail', inherited: false, remediation: 'Fix it. More.' };
  const findings: Finding[] = [
    { ...base, policy: 'SQ40102', message: `${h} is setuid`, location: { kind: 'file', path: `/opt/${h}`, layer: `sha256:${'b'.repeat(64)}`, layerIndex: 1, historyIndex: 2, instruction: `COPY ${h} /opt/` }, subject: { path: `/opt/${h}` } },
    { ...base, policy: 'SQ41102', severity: 'medium', action: 'warn', message: `ADD ${h}`, location: { kind: 'history', index: 3, instruction: `ADD ${h} /app`, dockerfile: { path: `dir/${h}/Dockerfile`, line: 4 } } },
    { ...base, policy: 'SQ40101', message: `runs as ${h}`, location: { kind: 'config', field: `Config.Labels.${h}` } },
  ];
  const suppressed: Finding[] = [{ ...findings[0]!, exception: { reason: `because ${h}`, expired: false, source: `${h}.yaml:3` } }];
  return {
    image: `reg.example/${h}:1`,
    id: `sha256:${'c'.repeat(64)}`,
    repoTags: [`reg.example/${h}:1`],
    passed: false,
    baseBoundary: { source: 'timestamps', ownFrom: 2, note: `gap before ${h}` },
    dockerfile: { path: `${h}/Dockerfile`, matched: false, auto: false, reason: `step ${h} differs` } as ImageResult['dockerfile'],
    findings,
    suppressed,
  };
}

function errorResult(h: string): ImageResult {
  return { image: `bad/${h}`, repoTags: [], passed: false, findings: [], suppressed: [], error: `no such image: bad/${h} (${h})` };
}

/** The terminal outputs of one result set: [name, text]. */
function terminalOutputs(results: ImageResult[], name: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  out.push(['table', renderTable(results, { width: 120, color: false })]);
  const colored = renderTable(results, { width: 120, color: true });
  out.push(['table (colour, own SGR removed)', colored.replace(SGR, '')]);
  for (const r of results) {
    const lines = hookSummaryLines(r, name, { command: 'docker securitypolicy', showClean: true });
    out.push(['hook lines', lines.join('\n')]);
    const answer = JSON.parse(hookAnswer(lines)) as { Template: string };
    out.push(['hook template', answer.Template]);
  }
  const audit = renderImagesAudit(
    {
      images: results.map((r) => ({ result: r, size: 1, created: 1, dangling: false })),
      hygiene: { dangling: { images: [], bytes: 0, command: 'x' }, stale: { images: [{ id: 'sha256:' + 'd'.repeat(64), repoTags: [name], ageDays: 400 }], days: 90, command: 'y' }, reclaimable: { images: 0, bytes: 0, command: 'z' } },
    } as unknown as Parameters<typeof renderImagesAudit>[0],
    { width: 120, color: false, nowMs: 0 },
  );
  out.push(['audit images table', audit]);
  return out;
}

let outputsChecked = 0;

for (const [kind, h] of Object.entries(HOSTILE)) {
  test(`hostile string (${kind}): shown escaped on the terminal, exact in JSON and SARIF`, (t) => {
    const results = [hostileResult(h), errorResult(h)];
    for (const [output, text] of terminalOutputs(results, `reg.example/${h}:1`)) {
      t.is(unsafeIn(text), undefined, `${output}`);
      outputsChecked++;
    }
    // colour is only ours: the coloured table is the plain one plus SGR sequences
    t.is(renderTable(results, { width: 120, color: true }).replace(SGR, ''), renderTable(results, { width: 120, color: false }));
    // the hook template has no action but the ones printing `{{`
    for (const r of results) {
      const template = (JSON.parse(hookAnswer(hookSummaryLines(r, h, { command: 'c', showClean: true }))) as { Template: string }).Template;
      t.false(template.replace(/\{\{"\{\{"\}\}/g, '').includes('{{'), 'no template action of the image');
    }

    // JSON: the exact value, escaped; nothing a terminal would act on, raw
    const json = renderJson(results, '1.0.0');
    t.is(unsafeIn(json), undefined, 'JSON text holds no raw control or invisible character');
    const parsed = JSON.parse(json) as { results: ImageResult[] };
    t.is(parsed.results[0]!.image, `reg.example/${h}:1`);
    t.is(parsed.results[0]!.repoTags[0], `reg.example/${h}:1`);
    t.is(parsed.results[0]!.findings[0]!.message, `${h} is setuid`);
    t.deepEqual(parsed.results[0]!.findings, results[0]!.findings, 'findings round-trip exactly');
    t.is(parsed.results[1]!.error, results[1]!.error);

    // SARIF: valid, exact values in properties and URIs percent-encoded, message texts printable
    const sarifText = renderSarif(results, catalog, { version: '1.0.0', failOn: 'high', baseDir: '/work' });
    t.is(unsafeIn(sarifText), undefined, 'SARIF text holds no raw control or invisible character');
    const sarif = JSON.parse(sarifText) as { runs: Array<{ results: Array<{ message: { text: string }; properties: Record<string, unknown>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    t.deepEqual(validateSarif(sarif), []);
    const first = sarif.runs[0]!.results[0]!;
    t.is(first.properties.image, `reg.example/${h}:1`);
    t.is(first.properties.path, `/opt/${h}`);
    t.is(unsafeIn(first.message.text), undefined);
    // a URI has no room for a lone surrogate: U+FFFD stands in for it there (the properties keep the exact path)
    t.is(decodeURIComponent(first.locations[0]!.physicalLocation.artifactLocation.uri), `opt/${h}`.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
  });
}

test('printable and shorten: every kind escaped, a surrogate pair never split', (t) => {
  t.is(printable('a\u202eb\u200bc\ud800d\u009be'), 'a\\u202eb\\u200bc\\ud800d\\x9be');
  t.is(printable('é 😀 中文 tab\tnl\n'), 'é 😀 中文 tab\tnl\n');
  t.is(shorten('ab😀cd', 4), 'ab…');
  t.is(shorten('ab😀cd', 5), 'ab😀…');
});

// Secrets planted among hostile strings: masked in every output.
const AWS = 'AKIAQ3ZJ7X2K9M4P6R8T';
const GITHUB = 'ghp_' + 'Zq8Xw2Lm4Np6Rt8Vy0Ab2Cd4Ef6Gh8Ij0Kl2';

test('secrets in env, labels and history, wrapped in escapes: masked in table, hook, JSON and SARIF', (t) => {
  const facts = makeFacts({
    repoTags: [`app/\u001b[31mx\u202e:1`],
    config: {
      User: '\u001b]52;c;ZXZpbA==\u0007root',
      Env: [`AWS_ACCESS_KEY_ID=\u001b[2J${AWS}\u0007`, `PATH=/usr/bin\u202e`],
      Labels: { [`note\u001b[31m`]: `token ${GITHUB}\u200b` },
      ExposedPorts: { '22/tcp': {}, '\u001b[2J23/tcp': {} },
    },
    history: [`RUN echo ${GITHUB} > /root/.t # \u001b]8;;http://x\u001b\\`, `ADD \u009b2Jhttp://h/\u202efile /app`, 'COPY a\rb /c'],
    files: [{ path: `/usr/bin/\u001b[31msu\u202e`, mode: 0o4755, layerIndex: 0 }],
  });
  const { findings, suppressed } = judge(facts, allRules, catalog, { failOn: 'high' });
  t.true(findings.length >= 4, findings.map((f) => f.policy).join(' '));
  const result: ImageResult = { image: facts.repoTags[0]!, id: facts.id, repoTags: facts.repoTags, passed: false, findings, suppressed };
  const outputs: Array<[string, string]> = [
    ...terminalOutputs([result], facts.repoTags[0]!),
    ['json', renderJson([result], '1')],
    ['sarif', renderSarif([result], catalog, { version: '1', failOn: 'high', baseDir: '/work' })],
  ];
  for (const [name, text] of outputs) {
    t.false(text.includes(AWS), `${name}: AWS key masked`);
    t.false(text.includes(GITHUB.slice(4)), `${name}: GitHub token masked`);
    if (name !== 'json' && name !== 'sarif') t.is(unsafeIn(text), undefined, name);
  }
  t.true(findings.some((f) => /\*{3,}/.test(f.message)), 'secrets are reported, masked');
  t.log(`${Object.keys(HOSTILE).length} hostile strings × outputs checked so far: ${outputsChecked}`);
});

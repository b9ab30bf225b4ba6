// The summary the build hook answers, and its escaping for Go's text/template.
import test from 'ava';
import type { ImageResult } from '../../../src/cli/check-image.js';
import type { Finding } from '../../../src/policies/engine.js';
import { escapeTemplate, hookSummaryLines } from '../../../src/report/hook-summary.js';

const finding = (policy: string, severity: Finding['severity'], action: Finding['action'], extra: Partial<Finding> = {}): Finding => ({
  policy,
  title: policy,
  severity,
  action,
  inherited: false,
  message: `${policy} message`,
  location: { kind: 'config', field: 'Config.User' },
  remediation: 'fix',
  ...extra,
});

function result(findings: Finding[], extra: Partial<ImageResult> = {}): ImageResult {
  return { image: 'sha256:' + 'c'.repeat(64), id: 'sha256:' + 'c'.repeat(64), repoTags: ['app:1'], passed: findings.every((f) => f.action !== 'fail'), findings, suppressed: [], ...extra };
}

const opts = { command: 'docker securitypolicy', width: 100 };

test('image, verdict, counts by severity, top policies most pressing first, and the cue', (t) => {
  const ssh = finding('SQ40104', 'high', 'fail', {
    message: 'Exposes 22/tcp (SSH)',
    location: { kind: 'history', index: 3, instruction: 'EXPOSE 22', dockerfile: { path: 'Dockerfile', line: 3 } },
  });
  const lines = hookSummaryLines(
    result([
      finding('SQ41101', 'low', 'warn'),
      finding('SQ40102', 'medium', 'warn', { inherited: true, message: '/bin/su is setuid', location: { kind: 'file', path: '/bin/su', layer: 'sha256:x', layerIndex: 0 } }),
      finding('SQ40102', 'medium', 'warn', { inherited: true }),
      ssh,
      finding('SQ40101', 'medium', 'warn'),
    ]),
    'app:1',
    opts,
  );
  t.deepEqual(lines, [
    'Security policy: app:1 FAIL: 1 failing, 4 warnings (1 high, 3 medium, 1 low)',
    '  FAIL SQ40104 high: Exposes 22/tcp (SSH) — Dockerfile:3',
    '  warn SQ40101 medium: SQ40101 message — Config.User',
    '  warn SQ40102 medium (inherited) ×2: /bin/su is setuid',
    'Details (1 more policy): docker securitypolicy check app:1',
  ]);
});

test('a clean image says nothing, or one line when asked to', (t) => {
  t.deepEqual(hookSummaryLines(result([]), 'app:1', opts), []);
  t.deepEqual(hookSummaryLines(result([]), 'app:1', { ...opts, showClean: true }), ['Security policy: app:1 PASS: no findings']);
});

test('lines fit the width; the location stays when the message is cut', (t) => {
  const long = finding('SQ40104', 'high', 'fail', { message: 'x'.repeat(300), location: { kind: 'config', field: 'Config.ExposedPorts', dockerfile: { path: 'Dockerfile', line: 9 } } });
  const lines = hookSummaryLines(result([long]), 'registry.example.com/team/' + 'n'.repeat(120) + ':1', { ...opts, width: 80 });
  t.true(lines[1]!.length <= 80, lines[1]);
  t.regex(lines[1]!, /… — Dockerfile:9$/);
  // the name gives way first, down to 40 characters (the cue keeps it whole)
  t.is(lines[0], `Security policy: registry.example.com/team/${'n'.repeat(13)}… FAIL: 1 failing, 0 warnings (1 high)`);
  t.true(lines.at(-1)!.endsWith(`check registry.example.com/team/${'n'.repeat(120)}:1`));
  t.true(lines.length <= 10, 'docker ≥ 29.4 drops answers over 10 lines');
});

test('image-made text is flattened to one printable line', (t) => {
  const odd = finding('SQ40102', 'medium', 'warn', { message: 'file\nwith\u001b[31m escape' });
  const [, line] = hookSummaryLines(result([odd]), 'app:1', opts);
  t.is(line, '  warn SQ40102 medium: file with\\x1b[31m escape — Config.User');
});

test('names that are not plain words are quoted in the cue', (t) => {
  const lines = hookSummaryLines(result([finding('SQ41101', 'low', 'warn')]), "it's", opts);
  t.is(lines.at(-1), `Details: docker securitypolicy check 'it'\\''s'`);
});

test('escaping for text/template: every {{ becomes an action that prints {{', (t) => {
  t.is(escapeTemplate('plain }} text'), 'plain }} text');
  t.is(escapeTemplate('a {{.Name}} b'), 'a {{"{{"}}.Name}} b');
  t.is(escapeTemplate('{{{'), '{{"{{"}}{');
  t.is(escapeTemplate('{{- x -}}'), '{{"{{"}}- x -}}');
});

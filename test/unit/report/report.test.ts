import test from 'ava';
import type { ImageResult } from '../../../src/cli/check-image.js';
import { exitCodeOf } from '../../../src/cli/check.js';
import type { Finding } from '../../../src/policies/engine.js';
import { jsonReport } from '../../../src/report/json.js';
import { renderTable, shortFix } from '../../../src/report/table.js';
import { describeLocation } from '../../../src/report/location.js';
import { printable } from '../../../src/report/terminal-text.js';

const sshPort: Finding = {
  policy: 'SQ40104',
  title: 'Image may expose SSH (22)',
  severity: 'high',
  action: 'fail',
  inherited: false,
  message: 'exposes 22/tcp (SSH)',
  location: { kind: 'history', index: 4, instruction: 'EXPOSE 22/tcp', dockerfile: { path: 'Dockerfile', line: 9 } },
  remediation: 'Remove EXPOSE 22 and the SSH daemon.\n\nUse docker exec instead.',
  subject: { port: '22/tcp' },
};

const suid: Finding = {
  policy: 'SQ40102',
  title: 'Files with setuid/setgid bits',
  severity: 'medium',
  action: 'warn',
  inherited: true,
  message: '/bin/su is setuid root (4755, 0:0)',
  location: { kind: 'file', path: '/bin/su', layer: 'sha256:' + 'b'.repeat(64), layerIndex: 0, historyIndex: 0, instruction: 'ADD file:abc in /' },
  remediation: 'chmod u-s',
};

function result(findings: Finding[], extra: Partial<ImageResult> = {}): ImageResult {
  return {
    image: 'app:1',
    id: 'sha256:' + 'c'.repeat(64),
    repoTags: ['app:1'],
    passed: findings.every((f) => f.action !== 'fail'),
    baseBoundary: { source: 'local-image', ownFrom: 2, base: 'base:1' },
    findings,
    suppressed: [],
    ...extra,
  };
}

test('exit code: 0 when nothing fails, 1 when a finding fails, 2 when an image could not be checked', (t) => {
  t.is(exitCodeOf([result([suid])]), 0);
  t.is(exitCodeOf([result([suid]), result([sshPort])]), 1);
  t.is(exitCodeOf([result([sshPort]), { image: 'x', repoTags: [], passed: false, findings: [], suppressed: [], error: 'no such image: x' }]), 2);
});

test('the JSON report follows the schema of DESIGN.md', (t) => {
  const r = jsonReport([result([sshPort, suid])], '1.2.3');
  t.is(r.schemaVersion, 1);
  t.deepEqual(r.tool, { name: 'docker-security-policy', version: '1.2.3' });
  const [img] = r.results;
  t.deepEqual(Object.keys(img).sort(), ['baseBoundary', 'findings', 'id', 'image', 'passed', 'repoTags', 'suppressed'].sort());
  t.false(img.passed);
  t.deepEqual(Object.keys(img.findings[0]).sort(), ['action', 'inherited', 'location', 'message', 'policy', 'remediation', 'severity', 'subject', 'title'].sort());
});

test('the table shows each finding with its policy, where it is and the first paragraph of the fix', (t) => {
  const out = renderTable([result([sshPort, suid])], { width: 140, color: false });
  t.regex(out, /app:1 cccccccccccc {2}FAIL {2}1 failing, 1 warning \(1 high, 1 medium\)/);
  t.regex(out, /base image: base:1 \(local image whose layers this one extends; steps 0–1 inherited\)/);
  t.regex(out, /SQ40104/);
  t.regex(out, /step 4: EXPOSE 22\/tcp/);
  t.regex(out, /Dockerfile:9/);
  t.regex(out, /\/bin\/su/);
  t.regex(out, /inherited/);
  t.regex(out, /Remove EXPOSE 22 and the SSH\s[│ ]*/);
  t.notRegex(out, /docker exec instead/, 'only the first sentence of the fix');
  t.regex(out, /exposes 22\/tcp \(SSH\)/);
  t.regex(out, /1 image checked, 1 failing, 0 passing/);
  t.notRegex(out, /\u001b\[/, 'no escape codes without colour');
});

test('an image that could not be checked shows its error in the table', (t) => {
  const out = renderTable([{ image: 'nope:1', repoTags: [], passed: false, findings: [], suppressed: [], error: 'no such image: nope:1' }], { width: 100, color: false });
  t.regex(out, /nope:1 {2}ERROR {2}no such image: nope:1/);
  t.regex(out, /1 not checked/);
});

test('file locations name the path, the layer and the step that wrote it', (t) => {
  t.is(describeLocation(suid.location), '/bin/su\nlayer 0 (bbbbbbbbbbbb)\nstep 0: ADD file:abc in /');
  t.is(describeLocation({ kind: 'config', field: 'Config.User' }), 'config Config.User');
});

test('terminal escape sequences from an image are shown, not obeyed', (t) => {
  t.is(printable('/tmp/\u001b[2Jevil\u0007'), '/tmp/\\x1b[2Jevil\\x07');
  const out = renderTable(
    [result([{ ...suid, message: 'x', location: { ...suid.location, path: '/a\u001b]0;pwned\u0007' } as Finding['location'] }])],
    { width: 120, color: false },
  );
  t.false(out.includes('\u001b'));
});

test('shortFix keeps the first sentence, on one line', (t) => {
  t.is(shortFix('Add a USER\ninstruction. Then rebuild.\n\nMore text.'), 'Add a USER instruction.');
  t.is(shortFix('Strip the bits late in the Dockerfile:\n\n```\nRUN chmod\n```'), 'Strip the bits late in the Dockerfile.');
});

test('suppressed findings are listed under the table with their reason, and the verdict counts them', (t) => {
  const covered: Finding = {
    ...sshPort,
    action: 'fail',
    exception: { reason: 'bastion image', expires: '2027-01-31', expired: false, source: 'docker-security-policy.yaml:4' },
  };
  const out = renderTable([result([suid], { suppressed: [covered] })], { width: 140, color: false });
  t.regex(out, /PASS {2}0 failing, 1 warning \(1 medium\), 1 suppressed/);
  t.regex(out, /1 suppressed by exceptions:\n {2}SQ40104 high: exposes 22\/tcp \(SSH\) — bastion image \(docker-security-policy\.yaml:4, until 2027-01-31\)/);
});

test('a finding whose exception expired says so next to it', (t) => {
  const expired: Finding = { ...sshPort, exception: { reason: 'temporary', expires: '2026-01-01', expired: true, source: 'dsp.yaml:2' } };
  const out = renderTable([result([expired])], { width: 160, color: false });
  t.regex(out, /exception expired on[\s│]*2026-01-01/);
});

test('a Dockerfile that does not match is said once, with the first difference', (t) => {
  const out = renderTable(
    [result([sshPort], { dockerfile: { path: 'Dockerfile', matched: false, reason: 'line 7 RUN does not match step 5 (COPY a /a)' } })],
    { width: 140, color: false },
  );
  t.is(out.match(/does not match this image/g)?.length, 1);
  t.regex(out, /Dockerfile Dockerfile does not match this image: line 7 RUN does not match step 5 \(COPY a \/a\); locations are build steps/);
});

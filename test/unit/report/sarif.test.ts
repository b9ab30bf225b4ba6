import test from 'ava';
import path from 'node:path';
import type { Log, Result, Run } from 'sarif';
import type { ImageResult } from '../../../src/cli/check-image.js';
import { loadCatalog, policiesInScope, scopeOf, type PolicyEntry } from '../../../src/policies/catalog.js';
import type { Finding } from '../../../src/policies/engine.js';
import { renderSarif, SARIF_FINGERPRINT_KEY, sarifLog, type SarifOptions } from '../../../src/report/sarif.js';
import { validateSarif } from '../helpers/sarif-schema.js';

const catalog = loadCatalog();
const baseDir = path.resolve('/work/repo');
const options: SarifOptions = { version: '1.2.3', failOn: 'high', baseDir };

const sshPort: Finding = {
  policy: 'SQ40104',
  title: 'Container image may expose SSH (port 22)',
  severity: 'high',
  action: 'fail',
  inherited: false,
  message: 'Exposes 22/tcp (SSH)',
  location: { kind: 'config', field: 'Config.ExposedPorts', historyIndex: 4, instruction: 'EXPOSE 22/tcp', dockerfile: { path: path.join(baseDir, 'app', 'Dockerfile'), line: 9 } },
  remediation: 'Remove EXPOSE 22.',
  subject: { port: '22/tcp' },
};

const rootUser: Finding = {
  policy: 'SQ40101',
  title: 'Container image runs with administrator (root) privileges',
  severity: 'medium',
  action: 'warn',
  inherited: false,
  message: 'Runs with administrative privileges: no USER is set',
  location: { kind: 'config', field: 'Config.User' },
  remediation: 'Add USER.',
};

const addStep: Finding = {
  policy: 'SQ41102',
  title: 'Container image build uses ADD',
  severity: 'low',
  action: 'warn',
  inherited: false,
  message: 'Uses ADD at step 7 to /app: a local archive',
  location: { kind: 'history', index: 7, instruction: 'ADD app.tar /app' },
  remediation: 'Use COPY.',
};

const suidFile = { kind: 'file' as const, path: '/usr/bin/su', layer: 'sha256:' + 'b'.repeat(64), layerIndex: 0, historyIndex: 0, instruction: 'ADD file:abc in /' };

const suid: Finding = {
  policy: 'SQ40102',
  title: 'Container image contains files with the setuid or setgid bit',
  severity: 'medium',
  action: 'warn',
  inherited: true,
  message: '/usr/bin/su is setuid root (4755, 0:0)',
  location: suidFile,
  remediation: 'chmod u-s',
  subject: { path: '/usr/bin/su' },
};

function image(findings: Finding[], extra: Partial<ImageResult> = {}): ImageResult {
  return {
    image: 'registry.example.com:5000/team/app:1',
    id: 'sha256:' + 'c'.repeat(64),
    repoTags: ['registry.example.com:5000/team/app:1'],
    passed: findings.every((f) => f.action !== 'fail'),
    baseBoundary: { source: 'local-image', ownFrom: 2, base: 'debian:12' },
    findings,
    suppressed: [],
    ...extra,
  };
}

function runOf(results: ImageResult[], opts: SarifOptions = options): Run {
  const log = JSON.parse(renderSarif(results, catalog, opts)) as Log;
  return log.runs[0];
}

function only(run: Run): Result {
  const results = run.results ?? [];
  if (results.length !== 1) throw new Error(`expected one result, got ${results.length}`);
  return results[0];
}

const checkedWithEverything: ImageResult[] = [
  image([sshPort, rootUser, addStep, suid], {
    suppressed: [{ ...addStep, message: 'Uses ADD at step 8 to /srv', exception: { reason: 'vendor tarball', expires: '2099-01-01', expired: false, source: 'docker-security-policy.yaml:7' } }],
    dockerfile: { path: 'app/Dockerfile', matched: true },
  }),
  { image: 'nope:1', repoTags: [], passed: false, findings: [], suppressed: [], error: 'no such image: nope:1' },
];

test('every SARIF log we write validates against the OASIS SARIF 2.1.0 schema', (t) => {
  const logs: unknown[] = [
    JSON.parse(renderSarif(checkedWithEverything, catalog, options)),
    JSON.parse(renderSarif([], catalog, options)),
    JSON.parse(renderSarif([image([{ ...rootUser, exception: { reason: 'legacy', expires: '2020-01-01', expired: true, source: 'cfg.yaml:3' } }])], catalog, { ...options, version: 'dev' })),
  ];
  for (const log of logs) t.deepEqual(validateSarif(log), []);
});

test('the schema helper reports what is wrong in words', (t) => {
  const errors = validateSarif({ version: '2.0.0', runs: [{ tool: { driver: {} } }] });
  t.true(errors.length > 0);
  t.true(errors.some((e) => e.includes('/version')));
  t.true(errors.some((e) => e.includes('/runs/0/tool/driver') && e.includes('name')));
});

test('the SARIF output is JSON ending in a newline, with a stable, timestamp-free body', (t) => {
  const a = renderSarif(checkedWithEverything, catalog, options);
  t.true(a.endsWith('}\n'));
  t.is(a, renderSarif(checkedWithEverything, catalog, options));
  t.notRegex(a, /TimeUtc/);
});

test('the tool lists every image policy of the catalog as a rule, in ID order, with its words and fix', (t) => {
  const { driver } = runOf([]).tool;
  t.is(driver.name, 'docker-security-policy');
  t.is(driver.version, '1.2.3');
  t.is(driver.semanticVersion, '1.2.3');
  const rules = driver.rules ?? [];
  t.deepEqual(rules.map((r) => r.id), [...policiesInScope(catalog, 'image').keys()].sort());
  t.false(rules.some((r) => scopeOf(catalog.get(r.id)!) !== 'image'), 'container and daemon policies belong to audit');
  const names = rules.map((r) => r.name ?? '');
  t.is(new Set(names).size, names.length, 'rule names are unique');
  for (const name of names) t.regex(name, /^[A-Z][A-Za-z0-9]+$/);
  const root = rules.find((r) => r.id === 'SQ40101');
  const entry = catalog.get('SQ40101')!;
  t.is(root?.name, 'RunsWithAdministratorRootPrivileges');
  t.is(root?.shortDescription?.text, entry.title);
  t.is(root?.fullDescription?.text, entry.description);
  t.is(root?.help?.text, entry.remediation);
  t.is(root?.help?.markdown, entry.remediation);
  t.is(root?.helpUri, entry.references[0]);
  t.deepEqual(root?.properties?.tags, ['security', 'container', entry.category]);
  t.is(rules.find((r) => r.id === 'SQ40104')?.name, 'MayExposeSshPort22');
});

test("each rule's security-severity falls in GitHub's band for its severity", (t) => {
  const bands: Record<string, [number, number]> = { critical: [9.0, 10.0], high: [7.0, 8.9], medium: [4.0, 6.9], low: [0.1, 3.9] };
  const critical: PolicyEntry = { ...catalog.get('SQ40104')!, id: 'SQ49999', title: 'Critical test policy', severity: 'critical' };
  const withCritical = new Map([...catalog, [critical.id, critical]]);
  const rules = (sarifLog([], withCritical, options).runs[0].tool.driver.rules ?? []);
  t.is(rules.length, policiesInScope(catalog, 'image').size + 1);
  for (const rule of rules) {
    const severity = withCritical.get(rule.id)!.severity;
    const score = Number(rule.properties?.['security-severity']);
    const [low, high] = bands[severity];
    t.true(score >= low && score <= high, `${rule.id} (${severity}) scored ${score}`);
  }
});

test('a rule defaults to error at or above --fail-on and to warning below it', (t) => {
  const level = (failOn: SarifOptions['failOn'], id: string) =>
    sarifLog([], catalog, { ...options, failOn }).runs[0].tool.driver.rules?.find((r) => r.id === id)?.defaultConfiguration?.level;
  t.is(level('high', 'SQ40104'), 'error');
  t.is(level('high', 'SQ40101'), 'warning');
  t.is(level('medium', 'SQ40101'), 'error');
  t.is(level('critical', 'SQ40104'), 'warning');
  t.is(level('low', 'SQ41101'), 'error');
});

test('one result per finding and per suppressed finding, in order, with rule ID and index and the level of its action', (t) => {
  const run = runOf(checkedWithEverything);
  const results = run.results ?? [];
  t.deepEqual(results.map((r) => r.ruleId), ['SQ40104', 'SQ40101', 'SQ41102', 'SQ40102', 'SQ41102']);
  const rules = run.tool.driver.rules ?? [];
  t.deepEqual(results.map((r) => rules[r.ruleIndex ?? -1]?.id), results.map((r) => r.ruleId));
  t.deepEqual(results.map((r) => r.level), ['error', 'warning', 'warning', 'warning', 'warning']);
});

test('the message names the finding and the image, and says when the base image caused it', (t) => {
  const results = runOf(checkedWithEverything).results ?? [];
  t.is(results[0].message.text, 'Exposes 22/tcp (SSH) (image registry.example.com:5000/team/app:1).');
  t.is(results[3].message.text, '/usr/bin/su is setuid root (4755, 0:0) (image registry.example.com:5000/team/app:1, inherited from the base image debian:12).');
});

test('a finding on a known Dockerfile line points at that line, relative to the base directory', (t) => {
  const endLine = { ...sshPort, location: { ...sshPort.location, dockerfile: { path: path.join(baseDir, 'app', 'Dockerfile'), line: 9, endLine: 11 } } };
  const location = only(runOf([image([endLine])])).locations?.[0];
  t.deepEqual(location?.physicalLocation, {
    artifactLocation: { uri: 'app/Dockerfile', uriBaseId: '%SRCROOT%' },
    region: { startLine: 9, endLine: 11 },
  });
  t.deepEqual(location?.logicalLocations, [
    { name: 'ExposedPorts', fullyQualifiedName: 'Config.ExposedPorts', kind: 'member' },
    { name: 'step 4: EXPOSE 22/tcp', fullyQualifiedName: 'history[4]', kind: 'object' },
  ]);
});

test('a relative Dockerfile path is taken from the working directory, and one outside the base directory gets a file URI', (t) => {
  const relative = { ...sshPort, location: { ...sshPort.location, dockerfile: { path: 'sub dir/Dockerfile', line: 2 } } };
  const cwdRun = runOf([image([relative])], { version: '1', failOn: 'high' });
  t.deepEqual(only(cwdRun).locations?.[0].physicalLocation?.artifactLocation, { uri: 'sub%20dir/Dockerfile', uriBaseId: '%SRCROOT%' });

  const outside = { ...sshPort, location: { ...sshPort.location, dockerfile: { path: path.resolve('/elsewhere/Dockerfile'), line: 2 } } };
  const uri = only(runOf([image([outside])])).locations?.[0].physicalLocation?.artifactLocation;
  t.regex(uri?.uri ?? '', /^file:\/\/.*\/elsewhere\/Dockerfile$/);
  t.is(uri?.uriBaseId, undefined);
});

test('a config finding without a Dockerfile points at the image and names the config field', (t) => {
  const res = only(runOf([image([rootUser])]));
  t.deepEqual(res.locations?.[0], {
    physicalLocation: { artifactLocation: { uri: 'registry.example.com%3A5000/team/app', uriBaseId: 'IMAGE' } },
    logicalLocations: [{ name: 'User', fullyQualifiedName: 'Config.User', kind: 'member' }],
  });
  t.like(res.properties, { image: 'registry.example.com:5000/team/app:1', imageId: 'sha256:' + 'c'.repeat(64), field: 'Config.User', severity: 'medium', inherited: false });
});

test('a history finding without a Dockerfile names the build step', (t) => {
  const res = only(runOf([image([addStep])]));
  t.deepEqual(res.locations?.[0].logicalLocations, [{ name: 'step 7: ADD app.tar /app', fullyQualifiedName: 'history[7]', kind: 'object' }]);
  t.like(res.properties, { historyIndex: 7, instruction: 'ADD app.tar /app' });
});

test('a file finding points at the file inside the image, with its layer and step', (t) => {
  const run = runOf([image([suid])]);
  const res = only(run);
  t.deepEqual(res.locations?.[0].physicalLocation, {
    artifactLocation: { uri: 'usr/bin/su', uriBaseId: 'IMAGEROOT' },
    properties: { layer: 'sha256:' + 'b'.repeat(64), layerIndex: 0 },
  });
  t.deepEqual(res.locations?.[0].logicalLocations, [{ name: 'step 0: ADD file:abc in /', fullyQualifiedName: 'history[0]', kind: 'object' }]);
  t.like(res.properties, { layer: 'sha256:' + 'b'.repeat(64), layerIndex: 0, historyIndex: 0, inherited: true, path: '/usr/bin/su' });
  t.truthy(run.originalUriBaseIds?.IMAGEROOT?.description?.text);
});

test('a file finding on a Dockerfile line keeps the file in the image as a related location', (t) => {
  const onLine = { ...suid, location: { ...suidFile, dockerfile: { path: path.join(baseDir, 'Dockerfile'), line: 1 } } };
  const res = only(runOf([image([onLine])]));
  t.is(res.locations?.[0].physicalLocation?.artifactLocation?.uri, 'Dockerfile');
  t.is(res.relatedLocations?.[0].physicalLocation?.artifactLocation?.uri, 'usr/bin/su');
});

test('a suppressed finding carries a SARIF suppression with the exception’s justification', (t) => {
  const res = (runOf(checkedWithEverything).results ?? [])[4];
  t.deepEqual(res.suppressions, [
    { kind: 'external', status: 'accepted', justification: 'vendor tarball', properties: { source: 'docker-security-policy.yaml:7', expires: '2099-01-01' } },
  ]);
  t.is((runOf(checkedWithEverything).results ?? []).filter((r) => r.suppressions).length, 1, 'reported findings are not suppressed');
});

test('an expired exception gives no suppression and the message says it expired', (t) => {
  const expired = { ...rootUser, exception: { reason: 'legacy base', expires: '2024-01-01', expired: true, source: 'cfg.yaml:3' } };
  const res = only(runOf([image([expired])]));
  t.is(res.suppressions, undefined);
  t.regex(res.message.text ?? '', /exception expired on 2024-01-01/);
  t.deepEqual(res.properties?.exception, expired.exception);
});

test('an image that could not be checked gives an error notification and an unsuccessful invocation', (t) => {
  const run = runOf(checkedWithEverything);
  const invocation = run.invocations?.[0];
  t.false(invocation?.executionSuccessful);
  t.deepEqual(invocation?.toolExecutionNotifications?.map((n) => [n.level, n.message.text]), [['error', 'nope:1: no such image: nope:1']]);
  t.false((run.results ?? []).some((r) => r.properties?.image === 'nope:1'));
  t.true(runOf([image([rootUser])]).invocations?.[0].executionSuccessful);
});

test('each image is listed with its base-image boundary and Dockerfile', (t) => {
  const images = runOf(checkedWithEverything).properties?.images as Array<Record<string, unknown>>;
  t.deepEqual(images[0], {
    image: 'registry.example.com:5000/team/app:1',
    id: 'sha256:' + 'c'.repeat(64),
    repoTags: ['registry.example.com:5000/team/app:1'],
    passed: false,
    baseBoundary: { source: 'local-image', ownFrom: 2, base: 'debian:12' },
    dockerfile: { path: 'app/Dockerfile', matched: true },
  });
  t.like(images[1], { image: 'nope:1', passed: false, error: 'no such image: nope:1' });
});

test('the same finding keeps its fingerprint across runs, tags and Dockerfiles; other policies differ', (t) => {
  const fp = (r: Result | undefined) => r?.partialFingerprints?.[SARIF_FINGERPRINT_KEY];
  const first = only(runOf([image([sshPort])]));
  const rebuilt = image([{ ...sshPort, location: { kind: 'config', field: 'Config.ExposedPorts', historyIndex: 6, instruction: 'EXPOSE 22/tcp' } }], {
    image: 'registry.example.com:5000/team/app:2',
    id: 'sha256:' + 'd'.repeat(64),
  });
  t.regex(fp(first) ?? '', /^[0-9a-f]{64}$/);
  t.is(fp(only(runOf([rebuilt]))), fp(first));
  const telnet = { ...sshPort, policy: 'SQ40105', subject: { port: '23/tcp' } };
  const ftpSamePort = { ...sshPort, policy: 'SQ40103' };
  t.not(fp(only(runOf([image([telnet])]))), fp(first));
  t.not(fp(only(runOf([image([ftpSamePort])]))), fp(first));
  t.not(fp(only(runOf([image([sshPort], { image: 'other/app:1' })]))), fp(first), 'another repository is another alert');
});

test('two identical findings in one image get distinct fingerprints', (t) => {
  const results = runOf([image([addStep, addStep])]).results ?? [];
  const [a, b] = results.map((r) => r.partialFingerprints?.[SARIF_FINGERPRINT_KEY]);
  t.truthy(a);
  t.not(a, b);
});

test('message text shows control characters from the image instead of carrying them raw', (t) => {
  const evil: Finding = {
    ...suid,
    message: '/tmp/\u001b[2Jevil\u0007\nnext is setuid',
    location: { ...suidFile, path: '/tmp/\u001b[2Jevil\u0007\nnext', instruction: 'RUN \u001b]0;pwned\u0007' },
  };
  const run = runOf([image([evil], { image: 'app\u001b[31m:1' }), { image: 'x\u0007', repoTags: [], passed: false, findings: [], suppressed: [], error: 'bad\u001b[0m' }]);
  const res = only(run);
  const texts = [res.message.text ?? '', ...(res.locations?.[0].logicalLocations ?? []).map((l) => l.name ?? ''), ...(run.invocations?.[0].toolExecutionNotifications ?? []).map((n) => n.message.text ?? '')];
  for (const text of texts) t.notRegex(text, /[\u0000-\u001f\u007f-\u009f]/, text);
  t.regex(res.message.text ?? '', /\\x1b\[2Jevil\\x07\\nnext/);
  t.is(res.locations?.[0].physicalLocation?.artifactLocation?.uri, 'tmp/%1B%5B2Jevil%07%0Anext');
  t.deepEqual(validateSarif(JSON.parse(renderSarif([image([evil])], catalog, options))), []);
});

// Every policy, both builders, on real images built by scripts/fixtures.sh:
// scripts/fixtures/expected.json says what must fire as own, what only as
// inherited and what not at all, with the exact files, ports and steps.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import type { Finding } from '../../src/policies/engine.js';
import type { JsonReport } from '../../src/report/json.js';
import { checkJson, integrationTest } from './cli.js';

const test = integrationTest('fixtures');

interface Fixture {
  name: string;
  tags: string[];
  base: string | null;
  own: string[];
  inheritedOnly: string[];
  none: string[];
  details?: {
    SQ40102?: { own?: string[]; inherited?: string[]; notPaths?: string[]; modes?: Record<string, string> };
    SQ41102?: { ownCount?: number; targets?: string[]; inheritedTargets?: string[] };
    SQ41104?: { ownCount?: number; superseded?: string[] };
    SQ41105?: { ownCount?: number; superseded?: string[] };
    SQ41106?: { ownCount?: number; targets?: string[]; notTargets?: string[] };
    ports?: { exposed?: string[]; notPorts?: string[] };
  } & Record<string, { ports?: string[]; notPorts?: string[] } | undefined>;
}

const expectedPath = fileURLToPath(new URL('../../../scripts/fixtures/expected.json', import.meta.url));
const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as { fixtures: Fixture[] };
const PORT_POLICIES = ['SQ40103', 'SQ40104', 'SQ40105', 'SQ40106', 'SQ40107', 'SQ40108'];

// One run over every fixture image, as a user checking many images at once would.
let report: Promise<JsonReport> | undefined;
function allResults(): Promise<JsonReport> {
  report ??= checkJson(expected.fixtures.flatMap((f) => f.tags)).then(({ run, report: r }) => {
    if (run.code === 2) throw new Error(`check could not run: ${run.stderr}`);
    return r;
  });
  return report;
}

async function findingsOf(tag: string): Promise<Finding[]> {
  const r = (await allResults()).results.find((x) => x.image === tag);
  if (!r) throw new Error(`no result for ${tag}`);
  if (r.error) throw new Error(`${tag}: ${r.error}`);
  return r.findings;
}

function byPolicy(findings: Finding[], id: string): Finding[] {
  return findings.filter((f) => f.policy === id);
}

function pathsOf(findings: Finding[], inherited: boolean): string[] {
  return findings.filter((f) => f.inherited === inherited && f.location.kind === 'file').map((f) => (f.location as { path: string }).path).sort();
}

function summary(findings: Finding[]): string {
  return findings.map((f) => `${f.policy}${f.inherited ? '(inherited)' : ''}: ${f.message}`).join('\n');
}

function checkPartition(t: ExecutionContext, fixture: Fixture, findings: Finding[]): void {
  for (const id of fixture.own) {
    t.true(byPolicy(findings, id).some((f) => !f.inherited), `${id} must fire as own\n${summary(findings)}`);
  }
  for (const id of fixture.inheritedOnly) {
    const of = byPolicy(findings, id);
    t.true(of.length > 0 && of.every((f) => f.inherited), `${id} must fire, inherited only\n${summary(findings)}`);
  }
  for (const id of fixture.none) t.is(byPolicy(findings, id).length, 0, `${id} must not fire\n${summary(findings)}`);
}

function checkDetails(t: ExecutionContext, fixture: Fixture, findings: Finding[]): void {
  const d = fixture.details ?? {};
  const suid = byPolicy(findings, 'SQ40102');
  if (d.SQ40102) {
    if (d.SQ40102.own) t.deepEqual(pathsOf(suid, false), [...d.SQ40102.own].sort(), 'own setuid/setgid files');
    if (d.SQ40102.inherited) t.deepEqual(pathsOf(suid, true), [...d.SQ40102.inherited].sort(), 'inherited setuid/setgid files');
    for (const p of d.SQ40102.notPaths ?? []) t.false(suid.some((f) => f.location.kind === 'file' && f.location.path === p), `${p} must not be reported`);
    for (const [p, mode] of Object.entries(d.SQ40102.modes ?? {})) {
      t.true(suid.some((f) => f.location.kind === 'file' && f.location.path === p && f.message.includes(mode)), `${p} reported with mode ${mode}`);
    }
  }
  for (const id of PORT_POLICIES) {
    const spec = d[id];
    const ports = byPolicy(findings, id).map((f) => f.subject?.port);
    for (const p of spec?.ports ?? []) t.true(ports.includes(p), `${id} reports ${p}`);
    for (const p of spec?.notPorts ?? []) t.false(ports.includes(p), `${id} must not report ${p}`);
  }
  const allPorts = findings.filter((f) => PORT_POLICIES.includes(f.policy)).map((f) => f.subject?.port);
  for (const p of d.ports?.notPorts ?? []) t.false(allPorts.includes(p), `no port policy reports ${p}`);
  const adds = byPolicy(findings, 'SQ41102');
  if (d.SQ41102?.ownCount !== undefined) t.is(adds.filter((f) => !f.inherited).length, d.SQ41102.ownCount, 'own ADD steps');
  for (const target of d.SQ41102?.targets ?? []) t.true(adds.some((f) => !f.inherited && f.message.includes(target)), `own ADD to ${target}`);
  for (const target of d.SQ41102?.inheritedTargets ?? []) t.true(adds.some((f) => f.inherited && f.message.includes(target)), `inherited ADD to ${target}`);
  for (const id of ['SQ41104', 'SQ41105'] as const) {
    const superseded = byPolicy(findings, id).filter((f) => !f.inherited);
    for (const step of d[id]?.superseded ?? []) {
      t.true(superseded.some((f) => f.location.kind === 'history' && f.location.instruction === step), `${id} reports the superseded ${step}\n${summary(superseded)}`);
    }
    if (d[id]?.superseded) t.is(superseded.length, d[id]!.superseded!.length, `${id}: one finding per superseded step`);
  }
  const copies = byPolicy(findings, 'SQ41106');
  for (const target of d.SQ41106?.targets ?? []) t.true(copies.some((f) => f.message.includes(target)), `relative COPY to ${target} reported`);
  if (d.SQ41106?.targets) t.is(copies.length, d.SQ41106.targets.length, 'one finding per relative COPY');
}

for (const fixture of expected.fixtures) {
  for (const tag of fixture.tags) {
    test(`${tag}: own, inherited and absent policies are as specified`, async (t) => {
      checkPartition(t, fixture, await findingsOf(tag));
    });
    test(`${tag}: the files, ports and steps reported are the exact ones`, async (t) => {
      checkDetails(t, fixture, await findingsOf(tag));
    });
  }
}

test('every fixture built FROM a local image finds that image as its base', async (t) => {
  const results = (await allResults()).results;
  for (const fixture of expected.fixtures) {
    for (const tag of fixture.tags) {
      const r = results.find((x) => x.image === tag);
      if (!fixture.base) {
        t.not(r?.baseBoundary?.source, 'local-image', `${tag} has no base`);
        continue;
      }
      const builder = tag.slice(tag.lastIndexOf(':') + 1);
      t.is(r?.baseBoundary?.source, 'local-image', tag);
      t.is(r?.baseBoundary?.base, fixture.base.replace('<builder>', builder), tag);
    }
  }
});

// `audit` over the local images of a real daemon: images sharing a base, a
// dangling one and an old one among whatever else the daemon holds. Each
// image's result is what `check` says of it, and the hygiene facts name the
// dangling and the stale image with the command that would clean them.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import anyTest from 'ava';
import { checkJson, daemonAvailable, integrationTest, run, skipping } from './cli.js';

// audit reads every image of its daemon, and exports them: on the shared daemon it
// would race the other test files' images. scripts/test.sh gives it a daemon of its own.
const HOST = process.env.DSP_AUDIT_DAEMON_SOCK;
// Serial: the export count of one case must not see another case's exports.
const test = (HOST ? integrationTest('audit-images') : skipping()).serial;
const onHost = { DOCKER_HOST: HOST ?? '' };
const DOCKER = '/usr/bin/docker';
const RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const REPO = `dsp-audit-test/${RUN}`;
const BASE = 'dsp-fixture/busybox:base';
const work = mkdtempSync(path.join(tmpdir(), 'dsp-audit-images-'));

function docker(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(DOCKER, args, { env: { ...process.env, ...onHost, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`docker ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

async function build(tag: string, lines: string[]): Promise<string> {
  const dir = mkdtempSync(path.join(work, 'ctx-'));
  writeFileSync(path.join(dir, 'Dockerfile'), [`FROM ${BASE}`, ...lines, ''].join('\n'));
  await docker(['build', '--network=none', '-q', '-t', tag, dir], { DOCKER_BUILDKIT: '0' });
  return docker(['image', 'inspect', '--format', '{{.Id}}', tag]);
}

/** An image created on `created` (an ISO date): a saved image whose config is re-dated, then loaded. */
async function oldImage(tag: string, created: string): Promise<string> {
  const source = `${REPO}-old-src:1`;
  const sourceId = await build(source, [`RUN echo ${RUN} > /old`]);
  const saved = path.join(work, 'old-src.tar');
  await docker(['save', '-o', saved, sourceId]);
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    const extract = tar.extract();
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => chunks.push(c as Buffer));
      stream.on('end', () => {
        if (header.type === 'file') entries.set(header.name, Buffer.concat(chunks));
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    extract.end(readFileSync(saved));
  });
  const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Array<{ Config: string; RepoTags: string[] | null; Layers: string[] }>;
  const config = JSON.parse(entries.get(manifest[0].Config)!.toString()) as { created: string; history?: Array<{ created?: string }> };
  config.created = created;
  for (const h of config.history ?? []) h.created = created;
  entries.delete(manifest[0].Config);
  entries.set('redated.json', Buffer.from(JSON.stringify(config)));
  entries.set('manifest.json', Buffer.from(JSON.stringify([{ ...manifest[0], Config: 'redated.json', RepoTags: [tag] }])));
  const pack = tar.pack();
  for (const [name, body] of entries) pack.entry({ name }, body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  const loaded = path.join(work, 'old.tar');
  writeFileSync(loaded, Buffer.concat(chunks));
  await docker(['load', '-q', '-i', loaded]);
  await docker(['rmi', source]);
  return docker(['image', 'inspect', '--format', '{{.Id}}', tag]);
}

interface AuditJson {
  results: Array<{ image: string; id: string; findings: Array<{ policy: string; action: string }>; error?: string }>;
  images: {
    summary: Array<{ id: string; image: string; dangling: boolean; failing: number; failingPolicies: string[] }>;
    hygiene: {
      dangling: { images: Array<{ id: string }>; command: string };
      stale: { days: number; images: Array<{ id: string; ageDays: number }>; command: string };
      reclaimable: { command: string };
    };
  };
}

const ids: Record<string, string> = {};

// Set-up only when the cases run (a skipped file's `test` has no hooks).
if (daemonAvailable() && HOST) anyTest.before(async () => {
  mkdirSync(work, { recursive: true });
  ids.ssh = await build(`${REPO}-ssh:1`, ['EXPOSE 22', 'CMD ["/bin/sh"]']);
  ids.clean = await build(`${REPO}-clean:1`, ['USER 1000', 'HEALTHCHECK CMD ["/bin/true"]', 'CMD ["/bin/true"]']);
  // The same tag built twice: the first image loses its name and dangles.
  ids.dangling = await build(`${REPO}-retagged:1`, [`RUN echo first ${RUN} > /v`]);
  ids.retagged = await build(`${REPO}-retagged:1`, [`RUN echo second ${RUN} > /v`]);
  ids.old = await oldImage(`${REPO}-old:1`, '2019-06-01T00:00:00Z');
});

if (daemonAvailable() && HOST) anyTest.after.always(async () => {
  for (const id of Object.values(ids)) await docker(['rmi', '-f', id]).catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

test('every image is checked as check would, dangling and stale ones are named with the command that cleans them', async (t) => {
  const r = await run(['audit', '--format', 'json', '--stale-days', '365'], onHost);
  t.not(r.stdout, '', r.stderr);
  const report = JSON.parse(r.stdout) as AuditJson;
  const summary = new Map(report.images.summary.map((s) => [s.id, s]));

  for (const id of Object.values(ids)) t.true(summary.has(id), `audit lists ${id}`);
  t.true(summary.get(ids.dangling)?.dangling, 'the image that lost its tag is marked dangling');
  t.false(summary.get(ids.retagged)?.dangling);
  t.deepEqual(summary.get(ids.ssh)?.failingPolicies, ['SQ40104']);
  t.is(summary.get(ids.clean)?.failing, 0);

  t.true(report.images.hygiene.dangling.images.some((i) => i.id === ids.dangling));
  t.is(report.images.hygiene.dangling.command, 'docker image prune');
  const stale = report.images.hygiene.stale.images.find((i) => i.id === ids.old);
  t.truthy(stale, 'the image dated 2019 is stale');
  t.true((stale?.ageDays ?? 0) > 365 * 5);
  t.false(report.images.hygiene.stale.images.some((i) => i.id === ids.ssh), 'a fresh image is not stale');
  t.is(report.images.hygiene.stale.command, 'docker image prune -a --filter until=8760h');

  // Same findings as `check` gives for the image.
  const { report: checked } = await checkJson([`${REPO}-ssh:1`], onHost);
  const audited = report.results.find((x) => x.id === ids.ssh);
  t.deepEqual(audited?.findings, checked.results[0].findings as unknown as AuditJson['results'][0]['findings']);
});

test('the table puts failing images first and ends with the hygiene lines', async (t) => {
  const r = await run(['audit', '--stale-days', '365', '--policy', 'SQ40104'], onHost);
  t.regex(r.stdout, /^Images: \d+ checked/);
  const sshRow = r.stdout.indexOf(`${REPO}-ssh:1`);
  const cleanRow = r.stdout.indexOf(`${REPO}-clean:1`);
  t.true(sshRow > 0 && cleanRow > sshRow, 'the failing image comes before the clean one');
  t.regex(r.stdout, /Dangling: \d+ images? without a tag, .* — `docker image prune`/);
  t.regex(r.stdout, /Stale: \d+ images? older than 365 days.*— rebuild them, or `docker image prune -a --filter until=8760h`/);
  t.regex(r.stdout, /\(audit never deletes anything\)/);
});

test('a second audit with nothing new exports none of the images: their layers are cached by diffID', async (t) => {
  const cache = mkdtempSync(path.join(work, 'cache-'));
  const env = { ...onHost, DSP_CACHE_DIR: cache };
  const first = await run(['audit', '--format', 'json', '--no-containers', '--no-daemon'], env);
  t.not(first.stdout, '', first.stderr);
  const since = Date.now() / 1000;
  const second = await run(['audit', '--format', 'json', '--no-containers', '--no-daemon'], env);
  const until = Date.now() / 1000 + 1;
  await new Promise((r) => setTimeout(r, 1100)); // let the daemon log the last second's events
  const saves = (await docker(['events', '--since', since.toFixed(3), '--until', until.toFixed(3), '--filter', 'event=save', '--format', '{{.ID}}']))
    .split('\n')
    .filter((id) => Object.values(ids).includes(id));
  t.deepEqual(saves, [], 'no export of this test’s images on the second run');
  const results = (s: string) => (JSON.parse(s) as AuditJson).results.filter((r) => Object.values(ids).includes(r.id)).sort((a, b) => a.id.localeCompare(b.id));
  t.deepEqual(results(second.stdout), results(first.stdout), 'the same results from the cache');
});

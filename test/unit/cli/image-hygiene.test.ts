// The hygiene facts of `audit`: dangling images and what removing them frees,
// stale images by age, and a lower bound of what pruning unused images frees.
import test from 'ava';
import { imageHygiene } from '../../../src/cli/image-hygiene.js';
import type { ImageUsage } from '../../../src/daemon/disk-usage.js';
import type { LocalImageSummary } from '../../../src/daemon/inspect.js';
import { worstFirst, type ImageAudit } from '../../../src/cli/audit-images.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400;
const MB = 1024 * 1024;

function image(id: string, tags: string[], ageDays: number, size = 10 * MB): LocalImageSummary {
  return { id, repoTags: tags, repoDigests: [], size, created: NOW / 1000 - ageDays * DAY };
}

const images = [image('sha256:a', ['app:1'], 3), image('sha256:b', [], 10), image('sha256:c', ['old:1'], 400, 50 * MB)];
const usage = new Map<string, ImageUsage>([
  ['sha256:a', { size: 10 * MB, sharedSize: 8 * MB, containers: 1 }],
  ['sha256:b', { size: 10 * MB, sharedSize: 8 * MB, containers: 0 }],
  ['sha256:c', { size: 50 * MB, sharedSize: 0, containers: 0 }],
]);

test('an image without a tag is dangling; removing it frees what it does not share', (t) => {
  const h = imageHygiene(images, usage, { nowMs: NOW, staleDays: 90 });
  t.deepEqual(h.dangling.images.map((i) => i.id), ['sha256:b']);
  t.is(h.dangling.bytes, 2 * MB);
  t.is(h.dangling.command, 'docker image prune');
});

test('images older than --stale-days are stale, oldest first, with the prune filter for that age', (t) => {
  const h = imageHygiene(images, usage, { nowMs: NOW, staleDays: 90 });
  t.deepEqual(h.stale.images.map((i) => [i.id, i.ageDays]), [['sha256:c', 400]]);
  t.is(h.stale.command, 'docker image prune -a --filter until=2160h');
  t.deepEqual(imageHygiene(images, usage, { nowMs: NOW, staleDays: 5 }).stale.images.map((i) => i.id), ['sha256:c', 'sha256:b']);
});

test('reclaimable counts only images no container uses, by their unshared bytes', (t) => {
  const h = imageHygiene(images, usage, { nowMs: NOW, staleDays: 90 });
  t.is(h.reclaimable.images, 2);
  t.is(h.reclaimable.bytes, 2 * MB + 50 * MB);
});

test('without disk usage (an engine that does not say), sizes come from the list and nothing is called reclaimable', (t) => {
  const h = imageHygiene(images, new Map(), { nowMs: NOW, staleDays: 90 });
  t.is(h.dangling.bytes, 10 * MB);
  t.is(h.reclaimable.images, 0);
});

function audit(image: string, actions: Array<'fail' | 'warn'>, size = MB, error?: string): ImageAudit {
  const findings = actions.map((action) => ({ policy: 'SQ40104', action }) as ImageAudit['result']['findings'][number]);
  return { result: { image, repoTags: [image], passed: !actions.includes('fail'), findings, suppressed: [], ...(error ? { error } : {}) }, size, created: 0, dangling: false };
}

test('worst first: images that could not be checked, then most failing, most warnings, biggest', (t) => {
  const sorted = [audit('clean', []), audit('warns', ['warn']), audit('big-warns', ['warn'], 9 * MB), audit('fails', ['fail']), audit('broken', [], MB, 'export failed')].sort(worstFirst);
  t.deepEqual(sorted.map((a) => a.result.image), ['broken', 'fails', 'big-warns', 'warns', 'clean']);
});

// Choosing the image a build produced from the daemon's tag events and image list.
import test from 'ava';
import { chooseFromEvents, chooseNewestCreated, familiarName } from '../../../src/daemon/built-image.js';
import { secondsText } from '../../../src/daemon/events.js';
import type { ImageEvent } from '../../../src/daemon/events.js';

const T = 1_795_447_499_000; // ms
const at = (ms: number) => BigInt(ms) * 1_000_000n;
const tag = (id: string, name: string | undefined, ms: number): ImageEvent => ({ action: 'tag', id: `sha256:${id}`, ...(name ? { name } : {}), timeNano: at(ms) });
const window = { sinceMs: T - 60_000, untilMs: T };

test('the newest tag event in the window when the tags are not known', (t) => {
  const events = [tag('a', 'other:1', T - 30_000), tag('b', 'app:latest', T - 1_000), tag('c', 'old:1', T - 120_000), { ...tag('d', 'x:1', T - 500), action: 'untag' }];
  t.deepEqual(chooseFromEvents(events, undefined, window), { id: 'sha256:b', name: 'app:latest', source: 'tag-event' });
});

test('with the command\'s tags, only their events count (a concurrent build tags other names)', (t) => {
  const events = [tag('mine', 'app:latest', T - 5_000), tag('theirs', 'other:1', T - 1_000)];
  t.deepEqual(chooseFromEvents(events, ['app:latest'], window), { id: 'sha256:mine', name: 'app:latest', source: 'tag-event' });
  t.is(chooseFromEvents(events, ['nope:1'], window), undefined);
});

test('events outside the window do not count', (t) => {
  t.is(chooseFromEvents([tag('a', 'app:latest', T + 5_000)], undefined, window), undefined);
  t.is(chooseFromEvents([tag('a', 'app:latest', T - 61_000)], undefined, window), undefined);
});

test('an untagged build: the newest image created in the window', (t) => {
  const images = [
    { id: 'sha256:old', repoTags: ['base:1'], created: (T - 3_600_000) / 1000 },
    { id: 'sha256:new', repoTags: [], created: (T - 2_000) / 1000 },
    { id: 'sha256:mid', repoTags: ['m:1'], created: (T - 30_000) / 1000 },
  ];
  t.deepEqual(chooseNewestCreated(images, window.sinceMs), { id: 'sha256:new', source: 'created' });
  t.is(chooseNewestCreated(images, T), undefined);
});

test('names as the daemon writes them', (t) => {
  t.is(familiarName('app'), 'app:latest');
  t.is(familiarName('docker.io/library/app:1'), 'app:1');
  t.is(familiarName('docker.io/me/app'), 'me/app:latest');
  t.is(familiarName('localhost:5000/app'), 'localhost:5000/app:latest');
  t.is(familiarName('localhost:5000/app:2'), 'localhost:5000/app:2');
});

test('until with nanoseconds, so the daemon need not wait for the next whole second', (t) => {
  t.is(secondsText(1_795_447_499.25), '1795447499.250000000');
  t.is(secondsText(1_795_447_499), '1795447499.000000000');
});

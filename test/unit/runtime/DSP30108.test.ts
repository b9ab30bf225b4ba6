import test from 'ava';
import { ENGINE_EOL, releaseLine } from '../../../src/policies/daemon-rules/DSP30108-engine-eol.js';
import { daemon, daemonFindings, versionJson } from '../helpers/runtime-facts.js';

const at = (version: string, now = new Date('2026-06-01T00:00:00Z')) => daemon({ info: { ServerVersion: version }, now });

test('DSP30108 fires on the test daemon (Debian 20.10.24+dfsg1), naming the line, its end and the distribution caveat', (t) => {
  const [f, ...rest] = daemonFindings('DSP30108', at('20.10.24+dfsg1'));
  t.is(rest.length, 0);
  t.deepEqual(f!.location, { kind: 'daemon', field: 'ServerVersion' });
  t.regex(f!.message, /runs Docker Engine 20\.10\.24\+dfsg1, release line 20\.10, which reached its end of life on 2023-12-10/);
  t.regex(f!.message, /distribution package/);
  t.regex(f!.message, /docs\.docker\.com\/engine\/install/);
});

test('DSP30108 fires on every line whose end has passed, upstream builds without the distribution note', (t) => {
  for (const [version, line] of [
    ['19.03.15', '19.03'],
    ['23.0.18', '23.0'],
    ['24.0.9', '24.0'],
    ['26.0.2', '26.0'],
    ['26.1.5', '26.1'],
    ['27.5.1', '27'],
    ['17.06.2-ce', '17.06'],
  ] as const) {
    const [f] = daemonFindings('DSP30108', at(version));
    t.truthy(f, version);
    t.regex(f!.message, new RegExp(`release line ${line.replace('.', '\\.')},`), version);
    t.notRegex(f!.message, /distribution package/, version);
  }
  t.regex(daemonFindings('DSP30108', at('24.0.7-0ubuntu2~22.04.1'))[0]!.message, /distribution package/);
});

test('DSP30108 judges against the date in the facts: a line is fine until its end-of-life day', (t) => {
  t.deepEqual(daemonFindings('DSP30108', at('27.5.1', new Date('2025-05-02T23:59:59Z'))), []);
  t.is(daemonFindings('DSP30108', at('27.5.1', new Date('2025-05-03T00:00:00Z'))).length, 1);
});

test('DSP30108 does not flag maintained or unknown lines, unreadable versions, or Podman', (t) => {
  for (const version of ['29.1.2', '28.5.2', '25.0.14', '28.0.0-rc.1', 'dev', 'master-dockerproject-2026-01-01', '1.13.1', '']) {
    t.deepEqual(daemonFindings('DSP30108', at(version)), [], version);
  }
  const podman = daemon({
    info: { ServerVersion: '4.9.3' },
    versionJson: versionJson('4.9.3', { Components: [{ Name: 'Podman Engine', Version: '4.9.3' }] }),
  });
  t.deepEqual(daemonFindings('DSP30108', podman), []);
});

test('DSP30108 falls back to /version when /info has no ServerVersion', (t) => {
  t.is(daemonFindings('DSP30108', daemon({ info: { ServerVersion: undefined }, version: '24.0.9' })).length, 1);
});

test('release lines: YY.MM before 23, major.minor for 23.0-26.1, major from 27', (t) => {
  t.is(releaseLine('20.10.24+dfsg1'), '20.10');
  t.is(releaseLine('v18.09.9'), '18.09');
  t.is(releaseLine('26.1.4'), '26.1');
  t.is(releaseLine('27.0.3'), '27');
  t.is(releaseLine('29.1.2'), undefined);
  for (const date of Object.values(ENGINE_EOL)) t.regex(date, /^\d{4}-\d{2}-\d{2}$/);
});

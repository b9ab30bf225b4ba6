// Measurements, logged (run with --verbose): wants() cost per tar entry and
// the Go scanner's throughput. The bounds are loose: they catch a regression
// by an order of magnitude (a regex or an allocation per path), not noise.
import test from 'ava';
import { npmScanner } from '../../../../src/sbom/scanners/npm.js';
import { pythonScanner } from '../../../../src/sbom/scanners/python.js';
import { goBuildinfoScanner } from '../../../../src/sbom/scanners/go-buildinfo.js';
import { javaScanner } from '../../../../src/sbom/scanners/java.js';
import { buildInfo, elfWith } from './go-buildinfo-writer.js';

/** 300k paths shaped like an image's: system files, node_modules trees, site-packages, jars. */
function paths(): Array<[string, number]> {
  const shapes = [
    (i: number) => `/usr/share/doc/pkg${i % 900}/changelog.Debian.gz`,
    (i: number) => `/usr/lib/x86_64-linux-gnu/libx${i % 300}.so.${i % 7}`,
    (i: number) => `/app/node_modules/pkg${i % 2000}/lib/file${i}.js`,
    (i: number) => `/app/node_modules/@scope${i % 40}/pkg${i % 500}/package.json`,
    (i: number) => `/app/node_modules/pkg${i % 2000}/node_modules/dep${i % 77}/package.json`,
    (i: number) => `/usr/local/lib/python3.12/site-packages/mod${i % 800}/sub/file${i}.py`,
    (i: number) => `/usr/local/lib/python3.12/site-packages/mod${i % 800}-1.0.dist-info/METADATA`,
    (i: number) => `/opt/app/lib/lib${i % 300}-1.0.${i % 10}.jar`,
    (i: number) => `/usr/bin/tool${i % 500}`,
    (i: number) => `/etc/conf.d/file${i}.conf`,
  ];
  // Sizes: mostly small files, every tenth one (the /usr/bin tools) 4 MiB.
  return Array.from({ length: 300_000 }, (_, i) => [shapes[i % shapes.length]!(i), i % 10 === 8 ? 4 << 20 : (i * 7919) % 65536]);
}

// The layer reader calls wants() on a path string it has just made (in cache).
// Two figures per scanner, each the best of 5 runs of 300k calls: "hot" cycles
// 3,000 distinct paths 100 times (the reader's case), "cold" walks 300k
// distinct strings (memory-bound: mostly the cost of fetching each string).
test('wants() costs well under a microsecond per path for each scanner', (t) => {
  const cold = paths();
  const hot = Array.from({ length: 100 }, () => cold.slice(0, 3000)).flat();
  const time = (list: Array<[string, number]>, wants: (p: string, size: number) => boolean) => {
    let best = Infinity;
    let wanted = 0;
    for (let run = 0; run < 6; run++) {
      wanted = 0;
      const start = process.hrtime.bigint();
      for (const [p, size] of list) if (wants(p, size)) wanted++;
      const ns = Number(process.hrtime.bigint() - start) / list.length;
      if (run > 0) best = Math.min(best, ns); // run 0 warms up
    }
    return { ns: best, wanted };
  };
  const noop = () => false;
  t.log(`no-op wants() (loop + call): hot ${time(hot, noop).ns.toFixed(1)} ns, cold ${time(cold, noop).ns.toFixed(1)} ns`);
  for (const s of [npmScanner, pythonScanner, goBuildinfoScanner, javaScanner]) {
    const h = time(hot, s.wants);
    const c = time(cold, s.wants);
    t.log(`${s.id}: hot ${h.ns.toFixed(1)} ns, cold ${c.ns.toFixed(1)} ns per call (${c.wanted} of ${cold.length} wanted)`);
    t.true(h.ns < 1000 && c.ns < 2000);
  }
});

test('the Go scanner searches a 50 MB binary at hundreds of MB/s', (t) => {
  const info = buildInfo('go1.22.1', ['path\tex.com/x', 'mod\tex.com/x\tv1.0.0\t']);
  const binary = elfWith(info, 50_000_000 - 4096, 1024);
  const runs: number[] = [];
  for (let run = 0; run < 4; run++) {
    const stream = goBuildinfoScanner.open!('/usr/local/bin/x', binary.length)!;
    const start = process.hrtime.bigint();
    for (let at = 0; at < binary.length; at += 64 * 1024) if (!stream.write(binary.subarray(at, at + 64 * 1024))) break;
    const hits = stream.end();
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    t.is(hits.length, 2);
    runs.push(binary.length / 1e6 / s);
  }
  const best = Math.max(...runs.slice(1));
  t.log(`go-buildinfo: ${best.toFixed(0)} MB/s (runs: ${runs.map((r) => r.toFixed(0)).join(', ')})`);
  t.true(best > 100);
});

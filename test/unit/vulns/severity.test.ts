import test from 'ava';
import { severityOf, severityOfScore } from '../../../src/vulns/severity.js';
import type { OsvAdvisory, OsvAffected } from '../../../src/vulns/osv.js';

// Base scores from the FIRST specification documents and calculators:
// CVSS v3.1 §7 examples / NVD (CVE-2021-44228 is 10.0, the generic network RCE 9.8),
// CVSS v4.0 calculator (https://www.first.org/cvss/calculator/4.0) and
// CVSS v2 guide §3.3.1 (CVE-2002-0392: AV:N/AC:L/Au:N/C:N/I:N/A:C = 7.8).
const V31_CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V31_LOG4SHELL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H';
const V30_MEDIUM = 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N';
const V40_CRITICAL = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const V40_MEDIUM = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N';
const V2_APACHE = 'AV:N/AC:L/Au:N/C:N/I:N/A:C';

const advisory = (extra: Partial<OsvAdvisory> = {}): OsvAdvisory => ({ id: 'GHSA-xxxx-yyyy-zzzz', ...extra });

test('the CVSS qualitative scale: 9 critical, 7 high, 4 medium, below low', (t) => {
  t.deepEqual([10, 9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map(severityOfScore), ['critical', 'critical', 'high', 'high', 'medium', 'medium', 'low', 'low', 'low']);
});

test('CVSS v3 vectors are scored: the network RCE vector is 9.8 critical, Log4Shell 10.0, a reflected XSS 6.1 medium', (t) => {
  t.deepEqual(severityOf(advisory({ severity: [{ type: 'CVSS_V3', score: V31_CRITICAL }] })), { severity: 'critical', score: 9.8, source: V31_CRITICAL });
  t.is(severityOf(advisory({ severity: [{ type: 'CVSS_V3', score: V31_LOG4SHELL }] }))?.score, 10);
  t.deepEqual(severityOf(advisory({ severity: [{ type: 'CVSS_V3', score: V30_MEDIUM }] })), { severity: 'medium', score: 6.1, source: V30_MEDIUM });
});

test('CVSS v4 vectors are scored: 9.3 critical and 5.1 medium', (t) => {
  t.deepEqual(severityOf(advisory({ severity: [{ type: 'CVSS_V4', score: V40_CRITICAL }] })), { severity: 'critical', score: 9.3, source: V40_CRITICAL });
  t.deepEqual(severityOf(advisory({ severity: [{ type: 'CVSS_V4', score: V40_MEDIUM }] })), { severity: 'medium', score: 5.1, source: V40_MEDIUM });
});

test('CVSS v2 vectors use the v2 scale, which has no critical: 7.8 is high and 10.0 is high', (t) => {
  t.deepEqual(severityOf(advisory({ severity: [{ type: 'CVSS_V2', score: V2_APACHE }] })), { severity: 'high', score: 7.8, source: V2_APACHE });
  t.is(severityOf(advisory({ severity: [{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:C/I:C/A:C' }] }))?.severity, 'high');
});

test('the newest CVSS version wins whatever the listing order: v4 over v3 over v2', (t) => {
  const all = advisory({ severity: [{ type: 'CVSS_V2', score: V2_APACHE }, { type: 'CVSS_V3', score: V30_MEDIUM }, { type: 'CVSS_V4', score: V40_CRITICAL }] });
  t.is(severityOf(all)?.source, V40_CRITICAL);
  const noV4 = advisory({ severity: [{ type: 'CVSS_V2', score: V2_APACHE }, { type: 'CVSS_V3', score: V30_MEDIUM }] });
  t.is(severityOf(noV4)?.source, V30_MEDIUM);
});

test('the affected package’s own vector comes before the advisory’s', (t) => {
  const affected: OsvAffected = { severity: [{ type: 'CVSS_V3', score: V30_MEDIUM }] };
  t.is(severityOf(advisory({ severity: [{ type: 'CVSS_V4', score: V40_CRITICAL }] }), affected)?.source, V30_MEDIUM);
});

test('malformed, partial or mislabelled vectors are skipped, never thrown', (t) => {
  const bad = [
    { type: 'CVSS_V3', score: 'CVSS:3.1/AV:X/garbage' },
    { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' },
    { type: 'CVSS_V3', score: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    { type: 'CVSS_V4', score: 'hello' },
    { type: 'CVSS_V3', score: V2_APACHE },
  ];
  t.is(severityOf(advisory({ severity: bad })), undefined);
  t.is(severityOf(advisory({ severity: [...bad, { type: 'CVSS_V3', score: V30_MEDIUM }] }))?.score, 6.1, 'a good vector beside them still counts');
  t.deepEqual(severityOf(advisory({ severity: bad, database_specific: { severity: 'LOW' } })), { severity: 'low', source: 'GHSA rating LOW' });
});

test('GitHub ratings: MODERATE is medium, and a vector still beats the rating', (t) => {
  t.deepEqual(severityOf(advisory({ database_specific: { severity: 'MODERATE' } })), { severity: 'medium', source: 'GHSA rating MODERATE' });
  t.deepEqual(severityOf(advisory({ database_specific: { severity: 'CRITICAL' } }))?.severity, 'critical');
  t.is(severityOf(advisory({ database_specific: { severity: 'LOW' }, severity: [{ type: 'CVSS_V3', score: V31_CRITICAL }] }))?.severity, 'critical');
});

test('Debian urgency: high, medium, low, unimportant as low; "not yet assigned" is no rating', (t) => {
  const debian = (urgency: string): OsvAffected => ({ package: { ecosystem: 'Debian:12', name: 'openssl' }, ecosystem_specific: { urgency } });
  const dsa = advisory({ id: 'DEBIAN-CVE-2024-0001' });
  t.deepEqual(severityOf(dsa, debian('high')), { severity: 'high', source: 'Debian urgency high' });
  t.is(severityOf(dsa, debian('medium'))?.severity, 'medium');
  t.is(severityOf(dsa, debian('low'))?.severity, 'low');
  t.is(severityOf(dsa, debian('unimportant'))?.severity, 'low');
  t.is(severityOf(dsa, debian('not yet assigned')), undefined);
});

test('Ubuntu priorities: negligible is low; a CVSS vector beside them wins', (t) => {
  const usn = (priority: string): OsvAdvisory => advisory({ id: 'UBUNTU-CVE-2024-0001', severity: [{ type: 'Ubuntu', score: priority }] });
  t.deepEqual(severityOf(usn('medium')), { severity: 'medium', source: 'Ubuntu priority medium' });
  t.is(severityOf(usn('negligible'))?.severity, 'low');
  t.is(severityOf(usn('critical'))?.severity, 'critical');
  const both = advisory({ id: 'UBUNTU-CVE-2024-0002', severity: [{ type: 'Ubuntu', score: 'low' }, { type: 'CVSS_V3', score: V31_CRITICAL }] });
  t.is(severityOf(both)?.severity, 'critical');
});

test('ecosystem_specific.severity is read, vendor words included (Important is high)', (t) => {
  const affected: OsvAffected = { package: { ecosystem: 'AlmaLinux:9', name: 'openssl' }, ecosystem_specific: { severity: 'Important' } };
  t.deepEqual(severityOf(advisory({ id: 'ALSA-2024:0001' }), affected), { severity: 'high', source: 'AlmaLinux severity Important' });
});

test('an advisory with no rating at all has no severity', (t) => {
  t.is(severityOf(advisory()), undefined);
  t.is(severityOf(advisory({ database_specific: { severity: 42 } })), undefined);
});

// Address questions the runtime rules and facts share: is a host loopback, is
// a bind address "all interfaces", does a CIDR stay inside loopback. Pure.
import { isIPv4, isIPv6 } from 'node:net';

/** `[::1]` → `::1`; lower case. */
function bare(host: string): string {
  return host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** localhost, *.localhost, 127.0.0.0/8, ::1 and ::ffff:127.x. */
export function isLoopbackHost(host: string): boolean {
  const h = bare(host);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return h === '::1' || /^(?:0{0,4}:){7}0{0,3}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

/** A bind address meaning every interface: `""` (the daemon default), 0.0.0.0, ::. */
export function isAllInterfaces(hostIp: string | undefined): boolean {
  const h = bare(hostIp ?? '');
  return h === '' || h === '0.0.0.0' || h === '::' || /^(?:0{0,4}:){7}0{0,4}$/.test(h);
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/**
 * True when every address of the CIDR (or the single address) is loopback:
 * inside 127.0.0.0/8, or ::1/128. `10.0.0.0/8` or `0.0.0.0/0` are not.
 */
export function cidrWithinLoopback(cidr: string): boolean {
  const [addr = '', lenText] = cidr.trim().split('/');
  const a = bare(addr);
  if (isIPv4(a)) {
    const len = lenText === undefined ? 32 : Number(lenText);
    if (!Number.isInteger(len) || len < 8 || len > 32) return false;
    return Math.floor(ipv4ToInt(a) / 2 ** 24) === 127;
  }
  if (isIPv6(a)) {
    const len = lenText === undefined ? 128 : Number(lenText);
    return len === 128 && isLoopbackHost(a);
  }
  return false;
}

// dockerode loads, at require time, packages most runs never use: ssh2 (for
// ssh:// endpoints, through docker-modem), gRPC with its protobuf loader and
// uuid (for BuildKit sessions, which we never open), tar-fs and dockerignore
// (for build contexts, which we never send). Together they were ~0.2 s of
// every start-up, most of the 0.25 s budget of a cached re-check.
// This module, imported before dockerode, puts stand-ins into the CommonJS
// module cache that load the real package on first use, so an ssh:// endpoint
// still works and costs the load only then.
import { createRequire, Module } from 'node:module';

const require = createRequire(import.meta.url);

/** The real package behind a stand-in: drop the stand-in and require it. */
function loadReal(path: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the stand-in must leave the cache for the real module to load
  delete require.cache[path];
  return require(path) as Record<string, unknown>;
}

/** Caches `exports` under the path `request` resolves to from `fromPackage`. */
function standIn(request: string, fromPackage: string, exports: object): string | undefined {
  let path: string;
  try {
    path = require.resolve(request, { paths: [require.resolve(fromPackage)] });
  } catch {
    return undefined; // not installed (an optional dependency): nothing to defer
  }
  if (require.cache[path]) return path; // already loaded for real
  const mod = new Module(path);
  mod.filename = path;
  mod.loaded = true;
  mod.exports = exports;
  require.cache[path] = mod;
  return path;
}

/** A package whose members are read (or which is called) only when used: a proxy that loads it then. */
function deferWhole(request: string, fromPackage: string): void {
  let real: Record<string, unknown> | undefined;
  let path: string | undefined;
  const load = () => (real ??= loadReal(path as string));
  // A function target, so that a package that is itself a function (or a class) can be called (or constructed) through it.
  path = standIn(
    request,
    fromPackage,
    new Proxy(function standInTarget() {}, {
      get: (_target, key) => load()[key as string],
      has: (_target, key) => key in load(),
      apply: (_target, self, args: unknown[]) => Reflect.apply(load() as unknown as (...a: unknown[]) => unknown, self, args),
      construct: (_target, args: unknown[]) => Reflect.construct(load() as unknown as new (...a: unknown[]) => object, args),
    }),
  );
}

/**
 * A package whose members are taken at load (`require('ssh2').Client`) but
 * used later: stand-in functions that load it when called or constructed.
 */
function deferMembers(request: string, fromPackage: string, names: string[]): void {
  let real: Record<string, unknown> | undefined;
  let path: string | undefined;
  const member = (name: string) => (real ??= loadReal(path as string))[name] as (...args: unknown[]) => unknown;
  const members = Object.fromEntries(
    names.map((name) => [
      name,
      function deferred(this: unknown, ...args: unknown[]): unknown {
        return new.target ? Reflect.construct(member(name), args) : Reflect.apply(member(name), this, args);
      },
    ]),
  );
  path = standIn(request, fromPackage, members);
}

// ssh:// endpoints (docker-modem's ssh.js takes `Client` at load).
deferMembers('ssh2', 'docker-modem', ['Client']);
// BuildKit sessions (dockerode's session.js), which we never open.
deferWhole('@grpc/grpc-js', 'dockerode');
deferWhole('@grpc/proto-loader', 'dockerode');
deferMembers('uuid', 'dockerode', ['v4']);
// Build contexts (dockerode's util.js), which we never send.
deferWhole('tar-fs', 'dockerode');
deferWhole('@balena/dockerignore', 'dockerode');
// TLS endpoints (docker-modem's http.js takes node's https module at load).
// Before anything else requires it, `require('https')` reads this cache entry
// (node documents that the cache is checked before built-ins); `node:https` is untouched.
deferWhole('https', 'docker-modem');
// Hijacked streams (docker-modem's HttpDuplex, for attach and exec), which
// check never opens; it loads readable-stream, ~17 ms of every start-up.
deferWhole('docker-modem/lib/http_duplex.js', 'docker-modem');

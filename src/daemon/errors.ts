// Daemon failures as one line that names the thing and the fix.
export class DaemonError extends Error {
  readonly exitCode = 2;
}

export class TimeoutError extends DaemonError {}

/** The daemon has no such image (a 404 on an image): callers may skip it rather than fail. */
export class NoSuchImageError extends DaemonError {}

/** The daemon answered a call with an error status (not a 404 on an image). */
export class DaemonRefusedError extends DaemonError {}

/** The image was there at inspect and gone by a later call (docker rmi or prune meanwhile). */
export class ImageRemovedError extends NoSuchImageError {}

export function imageRemovedError(): ImageRemovedError {
  return new ImageRemovedError(`the image was removed from the daemon while it was being checked (docker rmi or prune meanwhile); check it again if it still exists (see \`docker images\`)`);
}

// What each TLS failure means; the fix is the same: the certificates in use.
const TLS_CAUSES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "its certificate is self-signed and not the CA you trust",
  SELF_SIGNED_CERT_IN_CHAIN: "its certificate is not signed by the CA you trust",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its certificate is not signed by the CA you trust",
  UNABLE_TO_GET_ISSUER_CERT: "its certificate is not signed by the CA you trust",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "its certificate is not signed by the CA you trust",
  CERT_SIGNATURE_FAILURE: "its certificate's signature is invalid",
  ERR_TLS_CERT_ALTNAME_INVALID: "its certificate is for another host name",
  CERT_HAS_EXPIRED: "its certificate has expired",
  CERT_NOT_YET_VALID: "its certificate is not valid yet (check the clocks)",
};
const TLS_FIX = "check the CA in DOCKER_CERT_PATH (ca.pem), --tlscacert or the context's certificates";

interface ErrnoLike {
  code?: string;
  statusCode?: number;
  message?: string;
  json?: { message?: string } | null;
}

/** What a daemon call was about: an image (a 404 then means "no such image"), or anything else. */
export type DaemonSubject = { image: string } | { what: string };

/** Translates a dockerode/socket error into a DaemonError that names its subject. */
export function daemonError(err: unknown, endpoint: string, subject?: DaemonSubject): DaemonError {
  if (err instanceof DaemonError) return err;
  const image = subject && 'image' in subject ? subject.image : undefined;
  const what = image !== undefined ? `image "${image}"` : subject && 'what' in subject ? subject.what : undefined;
  const e = (err ?? {}) as ErrnoLike;
  const detail = (e.json && typeof e.json === 'object' && e.json.message) || e.message || String(err);
  switch (e.code) {
    case 'ENOENT':
      return new DaemonError(`cannot reach the Docker daemon at ${endpoint}: no socket there; is Docker running? (or point DOCKER_HOST / --context at it)`);
    case 'ECONNREFUSED':
      return new DaemonError(`cannot reach the Docker daemon at ${endpoint}: connection refused; is Docker running?`);
    case 'EACCES':
    case 'EPERM':
      return new DaemonError(
        `permission denied on the Docker socket ${endpoint}: add your user to the docker group (sudo usermod -aG docker $USER, then log in again) or run with sudo`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return new DaemonError(`cannot reach the Docker daemon at ${endpoint}: ${e.code}; check DOCKER_HOST / --host`);
    case 'ECONNRESET':
      return new DaemonError(`the Docker daemon at ${endpoint} closed the connection${what ? ` while reading ${what}` : ''}; was it stopped?`);
  }
  if (e.code !== undefined && TLS_CAUSES[e.code] !== undefined) {
    return new DaemonError(`TLS verification of the Docker daemon at ${endpoint} failed: ${TLS_CAUSES[e.code]} (${e.code}); ${TLS_FIX}`);
  }
  if (e.code !== undefined && /^ERR_SSL_.*ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|ACCESS_DENIED|HANDSHAKE_FAILURE)/.test(e.code)) {
    return new DaemonError(
      `the Docker daemon at ${endpoint} rejected the TLS client certificate (${e.code}); use a cert.pem/key.pem signed by the daemon's CA (DOCKER_CERT_PATH, --tlscert/--tlskey or the context)`,
    );
  }
  if (e.code !== undefined && (/^ERR_SSL_/.test(e.code) || e.code === 'EPROTO')) {
    return new DaemonError(
      `TLS with the Docker daemon at ${endpoint} failed (${e.code}); is that port the daemon's TLS port? (without TLS there, unset DOCKER_TLS_VERIFY)`,
    );
  }
  if (e.statusCode === 404 && image !== undefined) {
    return new NoSuchImageError(`no such image: ${image}; see \`docker images\` for the images this daemon has`);
  }
  if (e.statusCode !== undefined) {
    return new DaemonRefusedError(`the Docker daemon at ${endpoint} refused${what ? ` ${what}` : ''}: ${oneLine(detail)}`);
  }
  return new DaemonError(`Docker daemon at ${endpoint}: ${oneLine(detail)}`);
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Rejects with a TimeoutError when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  if (!(ms > 0)) return promise;
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new TimeoutError(`the Docker daemon did not answer ${what} within ${ms / 1000} s; raise --timeout if it is just slow`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Daemon failures as one line that names the thing and the fix.
export class DaemonError extends Error {
  readonly exitCode = 2;
}

export class TimeoutError extends DaemonError {}

/** The daemon has no such image (a 404 on an image): callers may skip it rather than fail. */
export class NoSuchImageError extends DaemonError {}

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
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return new DaemonError(`TLS verification of the Docker daemon at ${endpoint} failed (${e.code}); check --tlscacert or the context's certificates`);
  }
  if (e.statusCode === 404 && image !== undefined) {
    return new NoSuchImageError(`no such image: ${image}; see \`docker images\` for the images this daemon has`);
  }
  if (e.statusCode !== undefined) {
    return new DaemonError(`the Docker daemon at ${endpoint} refused${what ? ` ${what}` : ''}: ${oneLine(detail)}`);
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

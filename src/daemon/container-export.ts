// The merged filesystem of an image, as a container would see it: a container
// is created from the image (never started), its filesystem exported
// (`GET /containers/{id}/export`) and the container removed. The daemon
// streams this from its first byte, where the image export is staged whole
// first: about half the time, but without layers (check --quick).
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DaemonContext } from './inspect.js';
import { DaemonError, TimeoutError, daemonError, withTimeout } from './errors.js';
import { guardStream } from './guarded-stream.js';

/** Marks the short-lived containers --quick creates (`docker ps -a --filter label=…` finds any left by a killed run). */
export const QUICK_CONTAINER_LABEL = 'org.docker-security-policy.quick';

export interface ContainerFilesystem {
  /** The merged filesystem as one tar. */
  body: Readable;
  /** Removes the container; call it once the body is read or abandoned. Rejects with a line naming the container when the daemon refused. */
  remove(): Promise<void>;
}

export async function exportContainerFilesystem(ctx: DaemonContext, imageId: string): Promise<ContainerFilesystem> {
  const name = `security-policy-quick-${randomBytes(6).toString('hex')}`;
  let container;
  try {
    container = await withTimeout(
      ctx.docker.createContainer({
        name,
        Image: imageId,
        // Never started: an entrypoint is given only because the daemon refuses a container without a command.
        Entrypoint: ['/'],
        Cmd: [],
        NetworkDisabled: true,
        Labels: { [QUICK_CONTAINER_LABEL]: 'true' },
        HostConfig: { NetworkMode: 'none' },
      }),
      ctx.timeoutMs,
      `the creation of a container from ${imageId}`,
    );
  } catch (err) {
    if (err instanceof TimeoutError) throw err;
    const cause = daemonError(err, ctx.endpoint, { image: imageId });
    throw new DaemonError(`--quick could not create a container from ${imageId}: ${cause.message}; check without --quick`);
  }
  let removal: Promise<void> | undefined;
  const remove = () =>
    (removal ??= withTimeout(container.remove({ force: true, v: true }) as Promise<unknown>, ctx.timeoutMs, `the removal of container ${name}`).then(
      () => undefined,
      (err: unknown) => {
        const cause = err instanceof DaemonError ? err : daemonError(err, ctx.endpoint, { what: `container ${name}` });
        throw new DaemonError(`could not remove the temporary container ${name} (${cause.message}); remove it with \`docker rm -f ${name}\``);
      },
    ));
  const silence = `the Docker daemon sent nothing of the filesystem of container ${name} for ${ctx.timeoutMs / 1000} s; raise --timeout`;
  try {
    const body = (await withTimeout(container.export() as Promise<unknown>, ctx.timeoutMs, `the export of container ${name}`)) as Readable;
    return { body: guardStream(ctx, body, `the export of container ${name}`, silence), remove };
  } catch (err) {
    await remove().catch(() => {}); // the export's failure is the one to report
    if (err instanceof TimeoutError) throw new TimeoutError(silence);
    throw daemonError(err, ctx.endpoint, { what: `the export of container ${name}` });
  }
}

// An image removed between its inspect and a later call (history, export)
// does not always come back as a 404: the export of a deleted image is a 500
// ("failed to get digest …: no such file or directory"). When a call about an
// image that inspect found fails with a daemon answer, ask once more whether
// the image is still there; if not, say that instead.
import { DaemonRefusedError, ImageRemovedError, NoSuchImageError, imageRemovedError } from './errors.js';
import { inspectImage, type DaemonContext } from './inspect.js';

export async function removedMeanwhile(ctx: DaemonContext, id: string, err: unknown): Promise<unknown> {
  if (err instanceof ImageRemovedError) return err;
  // Not a daemon answer (a timeout, a dropped connection, a corrupt export): the image is not the question.
  // A 404 may be about another image (--base-image), so that is asked too.
  if (!(err instanceof DaemonRefusedError) && !(err instanceof NoSuchImageError)) return err;
  try {
    await inspectImage(ctx, id);
    return err;
  } catch (again) {
    return again instanceof NoSuchImageError ? imageRemovedError() : err;
  }
}

// What the daemon says of an image ID never changes (IDs are content
// digests), so one answer can serve a whole run: every image `audit` checks,
// every image `watch` sees. Misses and failures are not kept: the image may
// appear (or the daemon answer) later.
export class ByIdMemo<T> {
  private readonly answers = new Map<string, Promise<T | undefined>>();

  get(id: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    let answer = this.answers.get(id);
    if (!answer) {
      answer = load().then(
        (value) => {
          if (value === undefined) this.answers.delete(id);
          return value;
        },
        (err: unknown) => {
          this.answers.delete(id);
          throw err;
        },
      );
      this.answers.set(id, answer);
    }
    return answer;
  }
}

// DSP10406: the reference the user checked is the `latest` tag, written or
// implied (`app`, `app:latest`, `docker.io/library/app`,
// `localhost:5000/app`). `latest` moves with every push, so what runs is not
// what was checked. Not for an image ID, a digest reference
// (`app@sha256:…`), or when no reference is known.
import type { RawFinding, Rule } from '../../rule.js';
import { configLocation } from '../../history.js';

/** The tag of a reference: `latest` when none is written; undefined for an ID or a digest reference. */
export function tagOf(reference: string): string | undefined {
  const ref = reference.trim();
  if (ref === '' || ref.includes('@')) return undefined;
  if (/^(?:sha256:)?[0-9a-f]{12,64}$/.test(ref)) return undefined; // an image ID or its short form
  // The tag is after a `:` in the last path component; an earlier `:` is a registry port.
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  return colon < 0 ? 'latest' : name.slice(colon + 1);
}

export const latestTag: Rule = {
  ids: ['DSP10406'],
  needs: {},
  evaluate(facts) {
    const reference = facts.reference;
    if (!reference || tagOf(reference) !== 'latest') return [];
    const implied = !reference.slice(reference.lastIndexOf('/') + 1).includes(':');
    const others = facts.repoTags.filter((t) => tagOf(t) !== 'latest' && t !== reference);
    const pinned = others.length > 0 ? `; this image is also tagged ${others.join(', ')}: deploy that` : '';
    return [
      {
        policy: 'DSP10406',
        message:
          `Checked as ${reference}${implied ? ' (no tag, so :latest)' : ''}: latest moves with every push, so what runs ` +
          `later may not be what was checked; tag each build with a version and deploy that tag or the digest${pinned}`,
        location: configLocation('RepoTags'),
        inherited: false,
      } satisfies RawFinding,
    ];
  },
};

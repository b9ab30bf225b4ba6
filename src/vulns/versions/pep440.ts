// Python package versions, ordered as PEP 440 via `@renovatebot/pep440`
// (epochs, pre/post/dev releases, local versions, normalisation such as
// `1.0c1` = `1.0rc1`).

import { lazyModule } from '../../lazy-module.js';

const pep440 = lazyModule<typeof import('@renovatebot/pep440')>('@renovatebot/pep440');
import { InvalidVersion, type VersionScheme } from './scheme.js';

function read(version: string): string {
  // The library throws a TypeError on unparsable input; name it ours.
  if (pep440().valid(version) === null) throw new InvalidVersion(`not a PEP 440 version: ${JSON.stringify(version)}`);
  return version;
}

export const PEP440: VersionScheme = {
  name: 'pep440',
  valid: (version) => pep440().valid(version) !== null,
  compare: (a, b) => Math.sign(pep440().compare(read(a), read(b))),
};

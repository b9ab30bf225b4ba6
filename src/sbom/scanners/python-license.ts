// The licence of a Python distribution, best evidence first:
//   1. `License-Expression` (PEP 639): already SPDX;
//   2. `License`, when it is a short name ("MIT", "BSD-3-Clause", "Apache 2.0").
//      Many projects paste the whole licence text there; that is not a name;
//   3. `Classifier: License :: …` trove classifiers, mapped to SPDX. Several
//      licence classifiers mean the user may pick one, so they are joined with OR.

/** A `License` value longer than this (or multi-line) is licence text, not a name. */
const MAX_LICENSE_NAME = 100;

// The trove classifiers' last segment → SPDX. Unmapped ones are left out
// (a wrong SPDX id is worse than none).
const CLASSIFIERS: Record<string, string> = {
  'MIT License': 'MIT',
  'MIT No Attribution License (MIT-0)': 'MIT-0',
  'BSD License': 'BSD-3-Clause',
  'Apache Software License': 'Apache-2.0',
  'GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
  'GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.0-or-later',
  'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'GNU Library or Lesser General Public License (LGPL)': 'LGPL-2.0-or-later',
  'GNU Affero General Public License v3': 'AGPL-3.0-only',
  'GNU Affero General Public License v3 or later (AGPLv3+)': 'AGPL-3.0-or-later',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'ISC License (ISCL)': 'ISC',
  'Python Software Foundation License': 'PSF-2.0',
  'The Unlicense (Unlicense)': 'Unlicense',
  'Eclipse Public License 2.0 (EPL-2.0)': 'EPL-2.0',
  'Zope Public License': 'ZPL-2.1',
  'Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
};

/** The SPDX id of a `License :: …` classifier, or undefined. */
export function classifierLicense(classifier: string): string | undefined {
  if (!classifier.startsWith('License ::')) return undefined;
  return CLASSIFIERS[classifier.slice(classifier.lastIndexOf('::') + 2).trim()];
}

export function pythonLicense(expression: string | undefined, license: string | undefined, classifiers: string[]): string | undefined {
  if (expression) return expression;
  if (license && license.length <= MAX_LICENSE_NAME && !license.includes('\n') && license.toUpperCase() !== 'UNKNOWN') return license;
  const ids = [...new Set(classifiers.map(classifierLicense).filter((id): id is string => id !== undefined))];
  return ids.length > 0 ? ids.join(' OR ') : undefined;
}

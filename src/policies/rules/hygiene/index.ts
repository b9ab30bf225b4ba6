// What should not ship: sudo, package caches, stray files, upgrades, latest tags (DSP104xx).
import type { Rule } from '../../rule.js';
import { sudoInstalled } from './DSP10401-sudo.js';
import { packageCaches } from './DSP10402-package-caches.js';
import { leftoverFiles } from './DSP10403-04-leftover-files.js';
import { packageUpgrade } from './DSP10405-package-upgrade.js';
import { latestTag } from './DSP10406-latest-tag.js';
import { worldWritable } from './DSP10407-world-writable.js';

export const hygieneRules: Rule[] = [sudoInstalled, packageCaches, leftoverFiles, packageUpgrade, latestTag, worldWritable];

// What should not ship: sudo, package caches, stray files, upgrades, latest tags (DSP104xx).
import type { Rule } from '../../rule.js';

export const hygieneRules: Rule[] = [];

// Secrets baked into the image: config, history and files (DSP101xx).
import type { Rule } from '../../rule.js';

export const secretRules: Rule[] = [];

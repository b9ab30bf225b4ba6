// Secrets baked into the image: config, history and files (DSP101xx).
import type { Rule } from '../../rule.js';
import { configSecrets } from './config.js';
import { fileSecrets } from './files.js';
import { historySecrets } from './history.js';

export const secretRules: Rule[] = [configSecrets, historySecrets, fileSecrets];

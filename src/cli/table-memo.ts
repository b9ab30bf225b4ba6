// The table report of a re-check whose result came from the store: the same
// result at the same width and colour renders the same text, and rendering
// it (cli-table3 measures every word's width) took longer than the rest of
// such a re-check. Each image's block is kept by the digest of its result,
// the width, the colour and the program.
import { createHash } from 'node:crypto';
import type { LayerCache } from '../cache/layer-cache.js';
import type { TableOptions } from '../report/table.js';
import { overallLine } from '../report/summary.js';
import { reportedResult } from '../report/json.js';
import type { ImageResult } from './check-image.js';
import { programStamp } from './result-key.js';

export async function renderTableRemembered(results: ImageResult[], options: TableOptions, cache: LayerCache): Promise<string> {
  const blocks = await Promise.all(results.map((r) => blockOf(r, options, cache)));
  return blocks.join('') + overallLine(results) + '\n';
}

async function blockOf(result: ImageResult, options: TableOptions, cache: LayerCache): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify({ program: programStamp(), options, result: reportedResult(result) })).digest('hex');
  const remembered = await cache.getRendered(key);
  if (remembered !== undefined) return remembered;
  const { renderImageBlock } = await import('../report/table.js'); // cli-table3 and friends: only when something is new
  const text = renderImageBlock(result, options);
  await cache.putRendered(key, text);
  return text;
}

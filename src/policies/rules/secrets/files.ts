// DSP10107-19: secrets in the files of any layer, found by the `secrets`
// scanner as the layers stream by. A file a later layer deleted or replaced
// still ships in the layer that added it (anyone with the image can extract
// it), so every hit is reported on the layer that carries it, saying what
// became of the file in the final filesystem.
import type { ImageFacts } from '../../../image/facts.js';
import type { LayerScanHit } from '../../../image/file-scanner.js';
import { KIND_LABEL, KIND_POLICY, inFixtureTree, inPackageTree } from '../../../secrets/patterns.js';
import { secretsScanner } from '../../../secrets/scanner.js';
import { secretsOfStep } from '../../../secrets/image-secrets.js';
import { layerOrigin, stepDisplay, stepOfLayer } from '../../history.js';
import type { Location, RawFinding, Rule } from '../../rule.js';

export const FILE_POLICIES = [
  'DSP10107', 'DSP10108', 'DSP10109', 'DSP10110', 'DSP10111', 'DSP10112', 'DSP10113',
  'DSP10114', 'DSP10115', 'DSP10116', 'DSP10117', 'DSP10118', 'DSP10119',
];

/** What the final filesystem says about the file the hit's layer carries. */
function fate(facts: ImageFacts, hit: LayerScanHit): string {
  if (!facts.layersRead) return '';
  const current = facts.files.get(hit.path);
  if (!current) return `; deleted by a later layer, but layer ${hit.layerIndex} still ships it`;
  if (current.layerIndex !== hit.layerIndex) {
    return `; replaced by layer ${current.layerIndex}, but layer ${hit.layerIndex} still ships this version`;
  }
  return '';
}

/** SSH host keys are DSP10307's (their fix is different: generate them at container start). */
function isHostKey(path: string): boolean {
  return /^\/etc\/ssh\/ssh_host_[^/]*_key$|^\/etc\/dropbear\/dropbear_[^/]*_host_key$/.test(path);
}

function findingOf(facts: ImageFacts, hit: LayerScanHit): RawFinding | undefined {
  const policy = KIND_POLICY[hit.kind];
  if (!policy || isHostKey(hit.path)) return undefined;
  const layer = facts.layers[hit.layerIndex];
  const step = stepOfLayer(facts, hit.layerIndex);
  const where = hit.line !== undefined ? `${hit.path} line ${hit.line}` : hit.path;
  const excerpt = hit.excerpt ? ` (${hit.excerpt})` : '';
  // The step that wrote the file may show the secret too (`RUN echo TOKEN=… > .env`), short ones included.
  const secrets = step ? secretsOfStep(step) : [];
  const origin = layerOrigin(hit.layerIndex, step, secrets);
  const fixture = inFixtureTree(hit.path);
  const vendored = !fixture && inPackageTree(hit.path);
  const location: Location = { kind: 'file', path: hit.path, layer: layer?.diffId ?? '', layerIndex: hit.layerIndex };
  if (layer?.historyIndex !== undefined) location.historyIndex = layer.historyIndex;
  if (step) location.instruction = stepDisplay(step, secrets);
  const finding: RawFinding = {
    policy,
    message:
      `${where}: ${KIND_LABEL[hit.kind] ?? hit.kind}${excerpt}; in ${origin}${fate(facts, hit)}` +
      (fixture ? '; in a test or example directory, probably a sample (warn only)' : '') +
      (vendored ? '; in an installed third-party package (warn only)' : ''),
    location,
    inherited: layer?.inherited ?? false,
    subject: { path: hit.path },
  };
  if (fixture || vendored) finding.warnOnly = true;
  return finding;
}

export const fileSecrets: Rule = {
  ids: FILE_POLICIES,
  needs: { scanners: [secretsScanner] },
  evaluate(facts) {
    return facts.scanHits
      .filter((h) => h.scanner === secretsScanner.id)
      .slice()
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.layerIndex - b.layerIndex || (a.line ?? 0) - (b.line ?? 0)))
      .flatMap((h) => findingOf(facts, h) ?? []);
  },
};

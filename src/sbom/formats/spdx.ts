// SPDX 2.3 JSON, written by hand: no maintained JavaScript library writes
// SPDX 2.x (the SPDX project's own tools are Java, Python and Go), and the
// document is a plain JSON shape checked in tests against the official 2.3
// schema. The image is the root package (purpose CONTAINER) that the document
// DESCRIBES and that CONTAINS every component. Licence texts that are not SPDX
// expressions become `LicenseRef-…` IDs with their text under
// hasExtractedLicensingInfos, as the spec requires.
import { createHash } from 'node:crypto';
import type { Component } from '../component.js';
import { isCompoundExpression, isSpdxExpression } from '../licenses.js';
import { diffIdOf, imageNameOf, locationPath, stepTextOf, TOOL_NAME, type SbomInput } from './input.js';

const NOASSERTION = 'NOASSERTION';
const DOCUMENT_ID = 'SPDXRef-DOCUMENT';
const IMAGE_ID = 'SPDXRef-Image';
const OS_ID = 'SPDXRef-OperatingSystem';

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: string;
  filesAnalyzed: boolean;
  primaryPackagePurpose?: 'CONTAINER' | 'LIBRARY' | 'OPERATING_SYSTEM';
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: string;
  sourceInfo?: string;
  externalRefs?: Array<{ referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }>;
}

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: typeof DOCUMENT_ID;
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[]; comment?: string };
  documentDescribes: string[];
  packages: SpdxPackage[];
  hasExtractedLicensingInfos?: Array<{ licenseId: string; extractedText: string; name: string }>;
  relationships: Array<{ spdxElementId: string; relationshipType: 'DESCRIBES' | 'CONTAINS'; relatedSpdxElement: string }>;
}

export function renderSpdx(input: SbomInput): string {
  return JSON.stringify(spdxDocument(input), null, 2) + '\n';
}

export function spdxDocument(input: SbomInput): SpdxDocument {
  const { facts, inventory } = input;
  const extracted = new Map<string, { licenseId: string; extractedText: string; name: string }>();
  const image: SpdxPackage = {
    SPDXID: IMAGE_ID,
    name: imageNameOf(facts),
    versionInfo: facts.id,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    primaryPackagePurpose: 'CONTAINER',
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
  };
  const packages: SpdxPackage[] = [image];
  const relationships: SpdxDocument['relationships'] = [{ spdxElementId: DOCUMENT_ID, relationshipType: 'DESCRIBES', relatedSpdxElement: IMAGE_ID }];
  if (inventory.os) {
    packages.push({
      SPDXID: OS_ID,
      name: inventory.os.id,
      ...(inventory.os.versionId ? { versionInfo: inventory.os.versionId } : {}),
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      primaryPackagePurpose: 'OPERATING_SYSTEM',
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
    });
    relationships.push({ spdxElementId: IMAGE_ID, relationshipType: 'CONTAINS', relatedSpdxElement: OS_ID });
  }
  inventory.components.forEach((c, n) => {
    const pkg = packageOf(c, n, input, extracted);
    packages.push(pkg);
    relationships.push({ spdxElementId: IMAGE_ID, relationshipType: 'CONTAINS', relatedSpdxElement: pkg.SPDXID });
  });
  const doc: SpdxDocument = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: DOCUMENT_ID,
    name: imageNameOf(facts),
    documentNamespace: namespaceOf(input),
    creationInfo: {
      created: input.created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creators: [`Tool: ${TOOL_NAME}-${input.toolVersion}`],
      ...(inventory.notes.length > 0 ? { comment: inventory.notes.join('\n') } : {}),
    },
    documentDescribes: [IMAGE_ID],
    packages,
    relationships,
  };
  if (extracted.size > 0) doc.hasExtractedLicensingInfos = [...extracted.values()].sort((a, b) => a.licenseId.localeCompare(b.licenseId));
  return doc;
}

function packageOf(c: Component, n: number, input: SbomInput, extracted: Map<string, { licenseId: string; extractedText: string; name: string }>): SpdxPackage {
  return {
    SPDXID: `SPDXRef-Package-${safeId(`${c.type}-${c.name}`)}-${n + 1}`,
    name: c.namespace && c.type === 'maven' ? `${c.namespace}:${c.name}` : c.name,
    versionInfo: c.version,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    primaryPackagePurpose: 'LIBRARY',
    licenseConcluded: NOASSERTION,
    licenseDeclared: declaredLicense(c.licenses, extracted),
    copyrightText: NOASSERTION,
    sourceInfo: sourceInfoOf(c, input),
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl }],
  };
}

/** One expression for all declarations (ANDed: the package holds files under each); free text as LicenseRefs. */
function declaredLicense(declared: string[], extracted: Map<string, { licenseId: string; extractedText: string; name: string }>): string {
  if (declared.length === 0) return NOASSERTION;
  const terms = declared.map((d) => {
    if (isSpdxExpression(d)) return declared.length > 1 && isCompoundExpression(d) ? `(${d})` : d;
    const id = licenseRefOf(d);
    extracted.set(id, { licenseId: id, extractedText: d, name: d.length > 80 ? `${d.slice(0, 79)}…` : d });
    return id;
  });
  return terms.join(' AND ');
}

/** `LicenseRef-public-domain-1a2b3c4d`: readable, and unique per text. */
export function licenseRefOf(text: string): string {
  const readable = safeId(text).slice(0, 40).replace(/^-+|-+$/g, '') || 'license';
  return `LicenseRef-${readable}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

/** Where the component was found: each place with its layer and build step. */
function sourceInfoOf(c: Component, input: SbomInput): string {
  const places = c.locations.map((l) => {
    const diffId = diffIdOf(input.facts, l);
    const step = stepTextOf(input.facts, l);
    const layer = `layer ${l.layerIndex}${diffId ? ` (${diffId})` : ''}${l.inherited ? ', base image' : ''}`;
    return `${locationPath(l)} in ${layer}${step !== undefined ? `, step ${l.historyIndex}: ${step}` : ''}`;
  });
  return `found in ${places.join('; ')}`;
}

/** SPDX IDs allow letters, digits, `.` and `-` only. */
function safeId(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-');
}

/** Deterministic for one image and tool version, as a URL (SPDX 2.3 §6.5). */
function namespaceOf(input: SbomInput): string {
  const digest = createHash('sha256').update(`${input.facts.id}\n${input.toolVersion}`).digest('hex');
  return `https://spdx.org/spdxdocs/${TOOL_NAME}-${input.toolVersion}/${safeId(imageNameOf(input.facts))}-${digest}`;
}

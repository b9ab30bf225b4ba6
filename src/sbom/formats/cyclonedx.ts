// CycloneDX 1.6 JSON through the OWASP CycloneDX library (its models, its
// normaliser for the 1.6 spec, its sorted output for diffable documents).
// Where each component was found goes in properties named
// `docker-security-policy:*`: the library's models have no
// `evidence.occurrences` yet. A component found at several places carries the
// first (lowest layer) under the plain names and the others under
// `docker-security-policy:location:<n>:*`, so that pairs stay together after
// sorting.
import { createHash } from 'node:crypto';
import { Enums, Models, Serialize, Spec, SPDX } from '@cyclonedx/cyclonedx-library';
import type { Component, ComponentLocation } from '../component.js';
import { isCompoundExpression, isSpdxExpression } from '../licenses.js';
import { diffIdOf, imageNameOf, locationPath, TOOL_NAME, type SbomInput } from './input.js';

const PROPERTY = `${TOOL_NAME}:`;

export function renderCycloneDx(input: SbomInput): string {
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return serializer.serialize(cycloneDxBom(input), { sortLists: true, space: 2 }) + '\n';
}

/** The BOM model (exported for callers that add to it). */
export function cycloneDxBom(input: SbomInput): Models.Bom {
  const { facts, inventory } = input;
  const bom = new Models.Bom({ serialNumber: serialNumberOf(input) });
  const image = new Models.Component(Enums.ComponentType.Container, imageNameOf(facts), {
    bomRef: `image:${facts.id}`,
    version: facts.id,
  });
  const tool = new Models.Component(Enums.ComponentType.Application, TOOL_NAME, { version: input.toolVersion });
  bom.metadata = new Models.Metadata({
    timestamp: input.created,
    component: image,
    tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }),
  });
  if (inventory.os) {
    const os = inventory.os;
    const props = [new Models.Property(`${PROPERTY}os-id`, os.id)];
    if (os.prettyName) props.push(new Models.Property(`${PROPERTY}os-pretty-name`, os.prettyName));
    bom.components.add(
      new Models.Component(Enums.ComponentType.OperatingSystem, os.id, {
        bomRef: `os:${os.id}@${os.versionId}`,
        ...(os.versionId ? { version: os.versionId } : {}),
        properties: new Models.PropertyRepository(props),
      }),
    );
  }
  for (const c of inventory.components) bom.components.add(componentOf(c, input));
  for (const note of inventory.notes) bom.metadata.properties.add(new Models.Property(`${PROPERTY}note`, note));
  return bom;
}

function componentOf(c: Component, input: SbomInput): Models.Component {
  const props: Models.Property[] = [new Models.Property(`${PROPERTY}origin`, c.origin)];
  if (c.ecosystem) props.push(new Models.Property(`${PROPERTY}osv-ecosystem`, c.ecosystem));
  if (c.source) props.push(new Models.Property(`${PROPERTY}source-package`, `${c.source.name} ${c.source.version}`));
  c.locations.forEach((l, n) => props.push(...locationProperties(l, input, n === 0 ? PROPERTY : `${PROPERTY}location:${n}:`)));
  const { group, name } = groupAndName(c);
  return new Models.Component(Enums.ComponentType.Library, name, {
    bomRef: c.purl, // unique: the inventory has one component per purl
    version: c.version,
    purl: c.purl,
    ...(group ? { group } : {}),
    licenses: licensesOf(c.licenses),
    properties: new Models.PropertyRepository(props),
  });
}

/** CycloneDX's group: Maven's groupId, an npm scope (`@types` of `@types/node`), as the CycloneDX tools write them. */
function groupAndName(c: Component): { group?: string; name: string } {
  if (c.namespace) return { group: c.namespace, name: c.name };
  const scoped = c.type === 'npm' ? /^(@[^/]+)\/(.+)$/.exec(c.name) : null;
  return scoped ? { group: scoped[1]!, name: scoped[2]! } : { name: c.name };
}

function locationProperties(l: ComponentLocation, input: SbomInput, prefix: string): Models.Property[] {
  const props = [
    new Models.Property(`${prefix}path`, locationPath(l)),
    new Models.Property(`${prefix}layer-index`, String(l.layerIndex)),
    new Models.Property(`${prefix}inherited`, String(l.inherited)),
  ];
  const diffId = diffIdOf(input.facts, l);
  if (diffId) props.push(new Models.Property(`${prefix}layer-diff-id`, diffId));
  if (l.historyIndex !== undefined) props.push(new Models.Property(`${prefix}history-index`, String(l.historyIndex)));
  return props;
}

/**
 * CycloneDX takes either licences (an SPDX ID or a name each) or exactly one
 * expression. Compound expressions therefore become one expression (several
 * declarations joined with AND: the package holds files under each); when a
 * declaration is not SPDX at all, every declaration is given by name instead.
 */
export function licensesOf(declared: string[]): Models.LicenseRepository {
  const repo = new Models.LicenseRepository();
  const needsExpression = declared.some((d) => isSpdxExpression(d) && !SPDX.isSupportedSpdxId(d));
  if (!needsExpression) {
    for (const d of declared) repo.add(SPDX.isSupportedSpdxId(d) ? new Models.SpdxLicense(d) : new Models.NamedLicense(d));
  } else if (declared.every(isSpdxExpression)) {
    const joined = declared.length === 1 ? declared[0]! : declared.map((d) => (isCompoundExpression(d) ? `(${d})` : d)).join(' AND ');
    repo.add(new Models.LicenseExpression(joined));
  } else {
    for (const d of declared) repo.add(new Models.NamedLicense(d));
  }
  return repo;
}

/** Unique per document made (image, tool version, time), yet reproducible from them. */
function serialNumberOf(input: SbomInput): string {
  const h = createHash('sha256').update(`${input.facts.id}\n${input.toolVersion}\n${input.created.toISOString()}`).digest('hex');
  // An RFC 4122 version-5-shaped UUID (name-based, SHA hash) from the digest.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

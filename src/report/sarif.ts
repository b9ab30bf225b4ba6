// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers: one run,
// the whole catalog as rules, one result per finding (suppressed ones too,
// with their exception as a SARIF suppression).
//
// Locations. Code scanning rejects the whole upload when any result lacks a
// physicalLocation with an artifactLocation.uri, so every result has one:
// - the Dockerfile line, when known (uri relative to `baseDir`, base %SRCROOT%);
// - otherwise, for a file finding, the file inside the image (base IMAGEROOT);
// - otherwise the image itself, named by repository (base IMAGE).
// logicalLocations say exactly where inside the image (the config field, the
// history step); a file finding placed on a Dockerfile line keeps the file in
// the image as a related location.
//
// Fingerprints. partialFingerprints[SARIF_FINGERPRINT_KEY] is the sha256 of
// [image repository without tag or digest, policy ID, location kind, config
// field | history instruction | file path, subject port or path], plus an
// occurrence number when one image has the same key twice (e.g. two identical
// CMD steps). Tags, image IDs, step indexes and Dockerfile lines are left out,
// so an alert keeps its identity across rebuilds and with or without
// --dockerfile.
//
// Levels. A result's level is its action (fail → error, warn → warning). A
// rule's default level is its catalog severity against `failOn` (at or above
// → error, else warning); `note` is not used, because every finding either
// fails or warns.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  ArtifactLocation,
  Location,
  Log,
  LogicalLocation,
  Notification,
  PhysicalLocation,
  PropertyBag,
  Region,
  ReportingDescriptor,
  Result,
  Run,
  Suppression,
} from 'sarif';
import type { ImageResult } from '../cli/check-image.js';
import { policiesInScope, type PolicyEntry } from '../policies/catalog.js';
import { actionAtThreshold, type Finding } from '../policies/engine.js';
import type { Severity } from '../policies/rule.js';
import { jsonText, printable } from './terminal-text.js';

export interface SarifOptions {
  version: string;
  failOn: Severity;
  /** directory Dockerfile URIs are made relative to (default process.cwd()) */
  baseDir?: string;
}

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SARIF_FINGERPRINT_KEY = 'dockerSecurityPolicy/v1';
const TOOL_NAME = 'docker-security-policy';

/** One fixed score per GitHub band (critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0' };

const SRCROOT = '%SRCROOT%';
const IMAGEROOT = 'IMAGEROOT';
const IMAGE = 'IMAGE';

export function renderSarif(results: ImageResult[], catalog: Map<string, PolicyEntry>, options: SarifOptions): string {
  return jsonText(sarifLog(results, catalog, options), 2) + '\n';
}

export function sarifLog(results: ImageResult[], catalog: Map<string, PolicyEntry>, options: SarifOptions): Log {
  // Image checks: the image policies are the rules (container and daemon policies belong to `audit`).
  const entries = [...policiesInScope(catalog, 'image').values()].sort((a, b) => a.id.localeCompare(b.id));
  const ruleIndex = new Map(entries.map((e, i) => [e.id, i]));
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  const notifications = results.filter((r) => r.error !== undefined).map(errorNotification);

  const run: Run = {
    tool: { driver: driver(entries, options) },
    invocations: [
      {
        executionSuccessful: notifications.length === 0,
        ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    originalUriBaseIds: {
      [SRCROOT]: { description: { text: 'The directory Dockerfile paths are relative to (where the check ran, normally the repository root).' } },
      [IMAGEROOT]: { description: { text: "The root of the filesystem of the image named in the result's properties (image, imageId)." } },
      [IMAGE]: { description: { text: "Container images by repository; the image config and build history of the image named in the result's properties." } },
    },
    results: results.flatMap((r) => imageResults(r, ruleIndex, baseDir)),
    properties: { images: results.map(imageSummary) },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

// ── rules ──────────────────────────────────────────────────────────────────

function driver(entries: PolicyEntry[], options: SarifOptions): Run['tool']['driver'] {
  const names = new Set<string>();
  return {
    name: TOOL_NAME,
    version: options.version,
    ...(/^\d+\.\d+\.\d+/.test(options.version) ? { semanticVersion: options.version } : {}),
    rules: entries.map((entry) => rule(entry, uniqueName(ruleName(entry.title), entry.id, names), options.failOn)),
  };
}

function rule(entry: PolicyEntry, name: string, failOn: Severity): ReportingDescriptor {
  return {
    id: entry.id,
    name,
    shortDescription: { text: entry.title },
    fullDescription: { text: entry.description },
    help: { text: entry.remediation, markdown: entry.remediation },
    ...(entry.references[0] ? { helpUri: entry.references[0] } : {}),
    defaultConfiguration: { level: actionAtThreshold(entry.severity, failOn) === 'fail' ? 'error' : 'warning' },
    properties: {
      'security-severity': SECURITY_SEVERITY[entry.severity],
      // Every rule reads recorded facts (config, history, file modes), not heuristics.
      precision: 'high',
      tags: [...new Set(['security', 'container', entry.category])],
      severity: entry.severity,
      priority: entry.priority,
      references: entry.references,
    },
  };
}

/** "Container image may expose SSH (port 22)" → "MayExposeSshPort22": identifier-like, as SARIF's rule name wants. */
export function ruleName(title: string): string {
  const words = title
    .replace(/^container image\s+/i, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '' && !['a', 'an', 'the'].includes(w.toLowerCase()));
  const name = words.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');
  return /^[A-Z]/.test(name) ? name : `Policy${name}`;
}

function uniqueName(name: string, id: string, used: Set<string>): string {
  const unique = used.has(name) ? `${name}${id}` : name;
  used.add(unique);
  return unique;
}

// ── results ────────────────────────────────────────────────────────────────

function imageResults(image: ImageResult, ruleIndex: Map<string, number>, baseDir: string): Result[] {
  if (image.error !== undefined) return [];
  const seen = new Map<string, number>();
  const one = (finding: Finding, suppressed: boolean): Result => {
    const key = fingerprintKey(image, finding);
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    return result(image, finding, { suppressed, ruleIndex: ruleIndex.get(finding.policy), baseDir, fingerprint: fingerprint(key, occurrence) });
  };
  return [...image.findings.map((f) => one(f, false)), ...image.suppressed.map((f) => one(f, true))];
}

interface ResultContext {
  suppressed: boolean;
  ruleIndex: number | undefined;
  baseDir: string;
  fingerprint: string;
}

function result(image: ImageResult, finding: Finding, ctx: ResultContext): Result {
  const related = relatedLocations(finding);
  const res: Result = {
    ruleId: finding.policy,
    ...(ctx.ruleIndex !== undefined ? { ruleIndex: ctx.ruleIndex } : {}),
    level: finding.action === 'fail' ? 'error' : 'warning',
    message: { text: messageText(image, finding) },
    locations: [primaryLocation(image, finding, ctx.baseDir)],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: ctx.fingerprint },
    properties: resultProperties(image, finding),
  };
  if (ctx.suppressed) res.suppressions = [suppression(finding.exception)];
  return res;
}

/** The finding's words, the image, and what a reader would otherwise miss: inherited, exception expired. */
function messageText(image: ImageResult, finding: Finding): string {
  const where = [`image ${image.image}`];
  if (finding.inherited) {
    const base = image.baseBoundary?.base;
    where.push(base ? `inherited from the base image ${base}` : 'inherited from the base image');
  }
  let text = `${finding.message} (${where.join(', ')}).`;
  const exception = finding.exception;
  if (exception?.expired) {
    const when = exception.expires ? ` on ${exception.expires}` : '';
    text += ` Its exception expired${when} (${exception.source}: ${exception.reason}).`;
  }
  return oneLine(text);
}

/** External: the exception lives in the policy configuration file, not in the Dockerfile. */
function suppression(exception: Finding['exception']): Suppression {
  if (!exception) return { kind: 'external', status: 'accepted' };
  return {
    kind: 'external',
    status: 'accepted',
    justification: exception.reason,
    properties: { source: exception.source, ...(exception.expires ? { expires: exception.expires } : {}) },
  };
}

function resultProperties(image: ImageResult, finding: Finding): PropertyBag {
  const location = finding.location;
  const props: PropertyBag = {
    image: image.image,
    ...(image.id ? { imageId: image.id } : {}),
    repoTags: image.repoTags,
    severity: finding.severity,
    action: finding.action,
    inherited: finding.inherited,
    locationKind: location.kind,
  };
  if (location.kind === 'config') props.field = location.field;
  if (location.kind === 'file') Object.assign(props, { path: location.path, layer: location.layer, layerIndex: location.layerIndex });
  const historyIndex = location.kind === 'history' ? location.index : location.historyIndex;
  if (historyIndex !== undefined) props.historyIndex = historyIndex;
  if (location.instruction !== undefined) props.instruction = location.instruction;
  if (location.dockerfile) props.dockerfile = location.dockerfile;
  if (finding.subject) props.subject = finding.subject;
  if (finding.exception?.expired) props.exception = finding.exception;
  return props;
}

// ── locations ──────────────────────────────────────────────────────────────

function primaryLocation(image: ImageResult, finding: Finding, baseDir: string): Location {
  const location = finding.location;
  const physicalLocation = location.dockerfile
    ? dockerfileLocation(location.dockerfile, baseDir)
    : location.kind === 'file'
      ? imageFileLocation(location)
      : { artifactLocation: { uri: encodePath(imageRepository(image)), uriBaseId: IMAGE } };
  const logical = logicalLocations(finding);
  return { physicalLocation, ...(logical.length > 0 ? { logicalLocations: logical } : {}) };
}

/** A file finding shown on its Dockerfile line still points at the file in the image. */
function relatedLocations(finding: Finding): Location[] {
  const location = finding.location;
  if (location.kind !== 'file' || !location.dockerfile) return [];
  return [{ id: 1, physicalLocation: imageFileLocation(location), message: { text: oneLine(`${location.path} in the image`) } }];
}

function dockerfileLocation(line: NonNullable<Finding['location']['dockerfile']>, baseDir: string): PhysicalLocation {
  const region: Region = { startLine: line.line };
  if (line.endLine !== undefined && line.endLine >= line.line) region.endLine = line.endLine;
  return { artifactLocation: dockerfileArtifact(line.path, baseDir), region };
}

/** Relative to baseDir with forward slashes; a Dockerfile outside it gets an absolute file: URI. */
function dockerfileArtifact(file: string, baseDir: string): ArtifactLocation {
  const absolute = path.resolve(file);
  const relative = path.relative(baseDir, absolute);
  const outside = relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  if (outside) return { uri: pathToFileURL(absolute).href };
  return { uri: encodePath(relative.split(path.sep).join('/')), uriBaseId: SRCROOT };
}

function imageFileLocation(location: Extract<Finding['location'], { kind: 'file' }>): PhysicalLocation {
  return {
    artifactLocation: { uri: encodePath(location.path.replace(/^\/+/, '')), uriBaseId: IMAGEROOT },
    properties: { layer: location.layer, layerIndex: location.layerIndex },
  };
}

function logicalLocations(finding: Finding): LogicalLocation[] {
  const location = finding.location;
  switch (location.kind) {
    case 'config':
      return [configField(location.field), ...stepIf(location.historyIndex, location.instruction)];
    case 'history':
      return [step(location.index, location.instruction)];
    case 'file':
      return stepIf(location.historyIndex, location.instruction);
  }
}

function configField(field: string): LogicalLocation {
  return { name: oneLine(field.split('.').pop() ?? field), fullyQualifiedName: oneLine(field), kind: 'member' };
}

function stepIf(index: number | undefined, instruction: string | undefined): LogicalLocation[] {
  return index === undefined ? [] : [step(index, instruction)];
}

/** A build step: `step 7: ADD app.tar /app`, fully qualified as `history[7]`. */
function step(index: number, instruction: string | undefined): LogicalLocation {
  return { name: oneLine(instruction ? `step ${index}: ${instruction}` : `step ${index}`), fullyQualifiedName: `history[${index}]`, kind: 'object' };
}

/** Percent-encodes each segment, so odd names (spaces, `:`, `#`, control bytes) stay one valid relative URI. */
function encodePath(p: string): string {
  // A lone surrogate (a name that was not valid UTF-16) has no UTF-8 to encode: U+FFFD in its place.
  const wellFormed = p.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return wellFormed.split('/').map(encodeURIComponent).join('/');
}

// ── fingerprints ───────────────────────────────────────────────────────────

function fingerprintKey(image: ImageResult, finding: Finding): string {
  const location = finding.location;
  const where = location.kind === 'config' ? location.field : location.kind === 'history' ? location.instruction : location.path;
  const subject = finding.subject?.port ?? finding.subject?.path ?? '';
  const key = [imageRepository(image), finding.policy, location.kind, where, subject];
  // A package has many advisories: each is its own alert (without it they would differ only by occurrence number).
  if (finding.subject?.advisory) key.push(finding.subject.advisory, finding.subject.purl ?? '');
  return JSON.stringify(key);
}

function fingerprint(key: string, occurrence: number): string {
  return createHash('sha256').update(occurrence === 1 ? key : `${key}#${occurrence}`).digest('hex');
}

/** The name the user gave, else the first tag, without tag or digest; the image ID when it has no name. */
function imageRepository(image: ImageResult): string {
  const name = looksLikeId(image.image) ? (image.repoTags[0] ?? image.id ?? image.image) : image.image;
  return looksLikeId(name) ? name : withoutTag(name);
}

function looksLikeId(ref: string): boolean {
  return /^(sha256:)?[0-9a-f]{12,64}$/.test(ref);
}

/** `registry:5000/team/app:1.2@sha256:…` → `registry:5000/team/app`. */
function withoutTag(ref: string): string {
  const name = ref.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

// ── run-level ──────────────────────────────────────────────────────────────

function errorNotification(image: ImageResult): Notification {
  return {
    level: 'error',
    message: { text: oneLine(`${image.image}: ${image.error ?? 'could not be checked'}`) },
    properties: { image: image.image },
  };
}

function imageSummary(image: ImageResult): PropertyBag {
  return {
    image: image.image,
    ...(image.id ? { id: image.id } : {}),
    repoTags: image.repoTags,
    passed: image.passed,
    ...(image.baseBoundary ? { baseBoundary: image.baseBoundary } : {}),
    ...(image.dockerfile ? { dockerfile: image.dockerfile } : {}),
    ...(image.layersSkipped ? { layersSkipped: true } : {}),
    ...(image.layersMerged ? { layersMerged: true } : {}),
    ...(image.error !== undefined ? { error: image.error } : {}),
  };
}

/** Text from an image can hold any byte: make control characters visible and keep messages on one line. */
function oneLine(text: string): string {
  return printable(text).replace(/[\t\n]/g, (c) => (c === '\n' ? '\\n' : '\\t'));
}

// What a rule is: an id, what it needs from the image, and a pure function
// from image facts to raw findings. Words (title, remediation, severity) live
// in policies/<ID>.yaml; the engine adds them and decides the action.
import type { ImageFacts } from '../image/facts.js';
import type { FileScanner } from '../image/file-scanner.js';
import type { OptionValue } from './options.js';
import type { AdvisoryLookup } from '../vulns/osv.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Action = 'fail' | 'warn';

export type Location =
  | { kind: 'config'; field: string; historyIndex?: number; instruction?: string }
  | { kind: 'history'; index: number; instruction: string }
  | {
      kind: 'file';
      path: string;
      layer: string;
      layerIndex: number;
      historyIndex?: number;
      instruction?: string;
    };

/** What a rule reports; the engine turns it into a Finding. */
export interface RawFinding {
  /** The policy ID this finding belongs to (a family module may emit several IDs). */
  policy: string;
  /** Specific: which port, which file, which step. */
  message: string;
  location: Location;
  /** True when the cause lies in the base image (inherited step or layer). */
  inherited: boolean;
  /** Downgrade to warn whatever the threshold (e.g. base boundary unknown). */
  warnOnly?: boolean;
  /** The subject exceptions match on: a file path, a `port/proto`, a package and advisory. */
  subject?: FindingSubject;
  /** The finding's own severity (a vulnerability's, from its advisory); else the policy's. */
  severity?: Severity;
  /** For known-vulnerability findings: what matched. */
  vulnerability?: VulnerabilityDetail;
}

export interface FindingSubject {
  path?: string;
  port?: string;
  /** Package name (exceptions' `package:` globs it). */
  package?: string;
  purl?: string;
  /** Advisory ID and its aliases (exceptions' `advisory:` matches either). */
  advisory?: string;
  aliases?: string[];
}

export interface VulnerabilityDetail {
  advisory: string;
  aliases: string[];
  package: string;
  purl: string;
  /** The installed version (for OS packages, the source package's when advisories use it). */
  installed: string;
  /** The lowest version that fixes it, when one was released. */
  fixed?: string;
  /** The OSV ecosystem the advisory is filed under: `Debian:12`, `npm`. */
  ecosystem: string;
  /** CVSS base score, when the advisory has a vector. */
  score?: number;
  /** Where the severity came from: a CVSS vector, the ecosystem's rating, or `unrated`. */
  severitySource: string;
  summary?: string;
}

export interface RuleNeeds {
  /** True when the rule reads `files` (the merged filesystem). */
  files?: boolean;
  /** Absolute paths whose contents the rule reads (small files only). */
  contents?: string[];
  /** Scanners that look inside many files of every layer (file-scanner.ts); their hits are `facts.scanHits`. */
  scanners?: FileScanner[];
}

/** What a rule may ask of the run besides the facts. */
export interface RuleContext {
  /** The policy's options: the defaults in policies/<ID>.yaml, overridden by the configuration. */
  options(policy: string): Readonly<Record<string, OptionValue>>;
  /** Known advisories for the image's packages, loaded before the rules run (check --vulns); absent otherwise. */
  advisories?: AdvisoryLookup;
}

export interface Rule {
  /** The policy IDs this module evaluates (one, or a tight family). */
  ids: string[];
  needs: RuleNeeds;
  evaluate(facts: ImageFacts, context: RuleContext): RawFinding[];
}

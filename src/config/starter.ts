// The commented starter file `policies init` writes: every policy with its
// default severity and action, every setting explained, nothing changed until
// a line is uncommented.
import { POLICY_SCOPES, policiesInScope, type PolicyEntry, type PolicyScope } from '../policies/catalog.js';
import { actionAtThreshold } from '../policies/engine.js';
import { DEFAULT_FAIL_ON } from './effective.js';
import { PROJECT_FILE, USER_CONFIG_NAME } from './load.js';

export function starterConfig(catalog: Map<string, PolicyEntry>, command: string, version: string): string {
  const lines = [
    `# ${PROJECT_FILE}: how \`${command} check\` judges images.`,
    `# Written by \`${command} policies init\` (${version}). Everything below is a`,
    '# comment or a default: uncomment and edit what your team needs.',
    '#',
    '# Precedence (later wins): built-in defaults, the user file',
    `# \${XDG_CONFIG_HOME:-~/.config}/${USER_CONFIG_NAME},`,
    `# this file (or the one given with --config), then the flags --fail-on, --policy, --skip.`,
    '',
    'version: 1',
    '',
    '# Own findings at or above this severity fail the check (exit 1): critical, high, medium, low.',
    `# failOn: ${DEFAULT_FAIL_ON}`,
    '',
    '# How findings caused by the base image count: fail, warn (listed, never fail) or off (not listed).',
    '# inherited: warn',
    '',
    '# Per policy: action fail | warn | off (default: fail when severity >= failOn),',
    '# severity critical | high | medium | low, and the options a policy has',
    '# (`policies ID` says what each sets). Shown here with their defaults.',
    'policies:',
  ];
  for (const scope of POLICY_SCOPES) {
    const entries = [...policiesInScope(catalog, scope).values()];
    if (entries.length === 0) continue;
    lines.push(`  # ── ${SCOPE_HEADINGS[scope]} ──`);
    for (const entry of entries) {
      lines.push(`  # ${entry.title}`);
      const options = Object.entries(entry.options ?? {}).map(([name, spec]) => `${name}: ${JSON.stringify(spec.default)}`);
      const optionText = options.length > 0 ? `, options: { ${options.join(', ')} }` : '';
      lines.push(`  # ${entry.id}: { severity: ${entry.severity}, action: ${actionAtThreshold(entry.severity, DEFAULT_FAIL_ON)}${optionText} }`);
    }
  }
  lines.push(
    '',
    '# Exceptions: accepted findings, each with a reason (and best an expiry date).',
    '# A matching exception moves the finding to "suppressed"; once expired it no',
    '# longer applies and the report says "exception expired on DATE".',
    'exceptions:',
    '  # - policy: SQ40104                # an ID, a list [SQ40103, SQ40104] or a range SQ40103-SQ40108',
    '  #   image: "myorg/bastion:*"       # glob on repo:tag (no tag: any tag), or an image ID; omit for all images',
    '  #   port: 22                       # port findings only: 22, 22/tcp, 20-21',
    '  #   reason: "SSH is this image\'s job; keys are managed by the platform team"',
    '  #   expires: 2027-06-30            # stops applying on this date (UTC)',
    '  # - policy: SQ40102',
    '  #   path: "/usr/bin/{su,passwd}"   # file findings only: glob on the path inside the image',
    '  #   reason: "setuid tools of the base image; containers run with no-new-privileges"',
    '  # - policy: [DSP10501, DSP10502]',
    '  #   advisory: CVE-2024-3094         # vulnerability findings only: an advisory ID or alias',
    '  #   package: "xz*"                 # or a package name glob, or a purl prefix such as pkg:npm/lodash',
    '  #   reason: "not reachable: the image never runs sshd"',
    '  #   expires: 2027-01-31',
    '',
    '# Known vulnerabilities in installed packages (DSP10501, DSP10502), matched',
    `# offline against OSV advisories: \`${command} db update\` downloads them.`,
    '# vulnerabilities:',
    '#   enabled: false      # true: every check matches them (as --vulns)',
    '#   db: ./osv           # a directory or zip of OSV advisories (as --vuln-db)',
    '',
    '# The summary after `docker build` (the hook that ./install.sh sets up).',
    '# hook:',
    '#   budgetSeconds: 10   # the most the hook adds to a build',
    '#   showClean: false    # true: one line for an image with no findings',
    '',
  );
  return lines.join('\n');
}

const SCOPE_HEADINGS: Record<PolicyScope, string> = {
  image: 'images (check, the build hook, watch, audit)',
  container: 'containers (audit)',
  daemon: 'the Docker daemon (audit)',
};

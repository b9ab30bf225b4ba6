// `audit`: developer-laptop hygiene through the daemon API alone — every
// local image (checked like `check`, plus dangling/stale/reclaimable facts),
// every container and the daemon's own settings — worst first.
import type { Argv } from 'yargs';
import type { GlobalOptions } from '../plugin/argv.js';
import type { Severity } from '../policies/rule.js';
import { jsonReport } from '../report/json.js';
import { renderImagesAudit } from '../report/audit-images.js';
import { toolVersion } from '../version.js';
import { auditImages, type ImagesAudit } from './audit-images.js';
import { auditContainers, auditDaemon, type ContainerAudit, type DaemonAudit } from './audit-runtime.js';
import { containersJson, daemonJson, renderContainers, renderDaemon } from '../report/audit-runtime.js';
import { attachAdvisories } from './vuln-setup.js';
import { checkSetup, policyOptions } from './check-setup.js';
import { connectDaemon } from './daemon-context.js';
import { startProgress, terminalWidth, useColor } from './output.js';
import { UsageError } from './usage-error.js';

export interface AuditArgs {
  format: 'table' | 'json';
  failOn?: Severity;
  config?: string;
  policy?: string | string[];
  skip?: string | string[];
  layers: boolean;
  cache: boolean;
  images: boolean;
  containers: boolean;
  daemon: boolean;
  staleDays: number;
  jobs: number;
  timeout: number;
  debug: boolean;
}

export function auditCommand(yargs: Argv): Argv<AuditArgs> {
  return policyOptions(yargs)
    .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'report format' })
    .option('images', { type: 'boolean', default: true, describe: 'audit the local images (--no-images: skip them)' })
    .option('containers', { type: 'boolean', default: true, describe: 'audit every container, running or stopped (--no-containers: skip)' })
    .option('daemon', { type: 'boolean', default: true, describe: "audit the daemon's own settings (--no-daemon: skip)" })
    .option('stale-days', { type: 'number', default: 90, describe: 'images older than this are stale' })
    .option('jobs', { type: 'number', default: 2, describe: 'images exported at a time (1–8)' })
    .option('timeout', { type: 'number', default: 120, describe: 'seconds of daemon silence before giving up' })
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces on errors' }) as unknown as Argv<AuditArgs>;
}

export async function runAudit(args: AuditArgs, global: GlobalOptions): Promise<number> {
  if (!Number.isInteger(args.jobs) || args.jobs < 1 || args.jobs > 8) throw new UsageError('--jobs takes a whole number from 1 to 8');
  if (!Number.isFinite(args.staleDays) || args.staleDays < 0) throw new UsageError('--stale-days takes a number of days');
  if (!Number.isFinite(args.timeout) || args.timeout < 0) throw new UsageError('--timeout takes a number of seconds (0 = no limit)');
  const setup = checkSetup(args);
  await attachAdvisories(setup);
  const { context, endpoint } = connectDaemon(global, args.timeout * 1000);
  const nowMs = Date.now();

  const progress = await startProgress('Auditing…');
  let images: ImagesAudit | undefined;
  let daemon: DaemonAudit | undefined;
  let containers: ContainerAudit[] | undefined;
  try {
    // The daemon first: it says where its socket and the user's home are, which container rules need.
    if (args.daemon || args.containers) {
      progress.update('Reading the daemon settings');
      daemon = await auditDaemon(context, endpoint, setup, new Date(nowMs));
    }
    if (args.containers) {
      progress.update('Inspecting containers');
      containers = await auditContainers(context, setup, { host: daemon?.host ?? {} });
    }
    if (!args.daemon) daemon = undefined;
    if (args.images) {
      images = await auditImages(context, setup.options, {
        jobs: args.jobs,
        staleDays: args.staleDays,
        nowMs,
        onProgress: (done, total, current) => progress.update(`Images: ${done}/${total} checked${current ? ` (${current})` : ''}`),
      });
    }
  } finally {
    progress.stop();
  }

  if (args.format === 'json') {
    const results = images?.images.map((a) => a.result) ?? [];
    const report = {
      ...jsonReport(results, toolVersion()),
      images: images && {
        summary: images.images.map((a) => ({
          image: a.result.image,
          id: a.result.id,
          repoTags: a.result.repoTags,
          size: a.size,
          created: new Date(a.created * 1000).toISOString(),
          dangling: a.dangling,
          failing: a.result.findings.filter((f) => f.action === 'fail').length,
          warnings: a.result.findings.filter((f) => f.action === 'warn').length,
          failingPolicies: [...new Set(a.result.findings.filter((f) => f.action === 'fail').map((f) => f.policy))],
          ...(a.result.error ? { error: a.result.error } : {}),
        })),
        hygiene: images.hygiene,
      },
      containers: containers && containersJson(containers),
      daemon: daemon && daemonJson(daemon),
    };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    const width = terminalWidth(process.stdout);
    const color = useColor(process.stdout);
    const sections: string[] = [];
    if (images) sections.push(renderImagesAudit(images, { width, color, nowMs }));
    if (containers) sections.push(renderContainers(containers, { width, color }));
    if (daemon) sections.push(renderDaemon(daemon, { width, color }));
    process.stdout.write(sections.join('\n'));
  }
  const all = images?.images.map((a) => a.result) ?? [];
  if (all.some((r) => r.error)) return 2;
  const failing = all.some((r) => !r.passed) || (containers ?? []).some((c) => !c.passed) || (daemon !== undefined && !daemon.passed);
  return failing ? 1 : 0;
}

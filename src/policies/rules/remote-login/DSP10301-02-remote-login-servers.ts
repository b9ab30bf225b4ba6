// DSP10301: a remote-login or file-transfer server is installed (merged
// filesystem). DSP10302: the image's Entrypoint or Cmd starts one. Both are
// the "might expose" signal behind SQ40103–SQ40108, which need an EXPOSE.
import type { ImageFacts } from '../../../image/facts.js';
import { configLocation, describeStep, stepThatSet } from '../../history.js';
import type { RawFinding, Rule } from '../../rule.js';
import { startedPrograms } from '../SQ40103-08-remote-access-ports.js';
import { fileLocation, layerDisplay, layerInherited } from '../hygiene/where.js';
import { installedServers, serverOfProgram } from './services.js';

function installed(facts: ImageFacts): RawFinding[] {
  return installedServers(facts).map(({ server, path, file }) => {
    const link = path !== file.path ? ` (a link to ${file.path})` : '';
    return {
      policy: 'DSP10301',
      message:
        `${path}${link} is ${server.article} ${server.name} server (${server.risk}); it can listen on ${server.port} ` +
        `whether or not the image declares EXPOSE; installed by ${layerDisplay(facts, file.layerIndex)}`,
      location: fileLocation(facts, path, file.layerIndex),
      inherited: layerInherited(facts, file.layerIndex),
      subject: { path },
    };
  });
}

function started(facts: ImageFacts): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const field of ['Entrypoint', 'Cmd'] as const) {
    const seen = new Set<string>();
    for (const program of startedPrograms(facts.config[field] ?? [])) {
      const server = serverOfProgram(program);
      if (!server || seen.has(program)) continue;
      seen.add(program);
      const step = stepThatSet(facts, field);
      const setBy = step ? `; set by ${step.inherited ? 'the base image at ' : ''}${describeStep(step)}` : '';
      findings.push({
        policy: 'DSP10302',
        message:
          `Its ${field} starts ${program}, ${server.article} ${server.name} server (${server.risk}), in every container: ` +
          `it listens on ${server.port} whether or not the image declares EXPOSE${setBy}`,
        location: configLocation(`Config.${field}`, step),
        inherited: step?.inherited ?? false,
      });
    }
  }
  return findings;
}

export const remoteLoginServers: Rule = {
  ids: ['DSP10301', 'DSP10302'],
  needs: { files: true },
  evaluate(facts) {
    return [...installed(facts), ...started(facts)];
  },
};
